package io.wiregate.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One side of a sealed connection (docs/protocol.md section 12), on the JDK alone: ECDH on P-256, HKDF-SHA256 and
 * AES-256-GCM. It seals the text frames this side sends and opens those it receives, each direction with its own key
 * and its own sequence number (the IV), and refuses a frame that is not the next one. Used by the server and by the
 * Java client alike. Thread-safe: sealing and opening are each serialized (call {@link #seal} in the order the frames
 * are sent).
 */
public final class SealedChannel {

    /** The length of a public key: an uncompressed P-256 point. */
    public static final int PUBLIC_KEY_BYTES = 65;
    /** The length of the handshake's salt. */
    public static final int SALT_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] CLIENT_INFO = "wiregate/1 client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_INFO = "wiregate/1 server".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final ECParameterSpec P256 = p256();

    private final SecretKeySpec sealKey;
    private final SecretKeySpec openKey;
    private final Cipher sealer;
    private final Cipher opener;
    private long sealed;
    private long opened;

    private SealedChannel(byte[] sealKey, byte[] openKey) throws GeneralSecurityException {
        this.sealKey = new SecretKeySpec(sealKey, "AES");
        this.openKey = new SecretKeySpec(openKey, "AES");
        this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
        this.opener = Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** A fresh ephemeral P-256 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
    }

    /** A fresh random salt, base64url without padding. */
    public static String newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return B64.encodeToString(salt);
    }

    /** A public key as the protocol writes it: the uncompressed point, base64url without padding. */
    public static String encode(ECPublicKey key) {
        byte[] out = new byte[PUBLIC_KEY_BYTES];
        out[0] = 0x04;
        unsigned(key.getW().getAffineX(), out, 1);
        unsigned(key.getW().getAffineY(), out, 33);
        return B64.encodeToString(out);
    }

    /**
     * A public key the other side sent.
     *
     * @throws GeneralSecurityException if it is not base64url of an uncompressed point on P-256
     */
    public static ECPublicKey decode(String text) throws GeneralSecurityException {
        byte[] raw;
        try {
            raw = UNB64.decode(text);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the public key is not base64url");
        }
        if (raw.length != PUBLIC_KEY_BYTES || raw[0] != 0x04) {
            throw new GeneralSecurityException("the public key is not an uncompressed P-256 point of 65 bytes");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(raw, 33, 65));
        if (!onCurve(x, y)) {
            throw new GeneralSecurityException("the public key is not a point of P-256");
        }
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    }

    /**
     * The channel of one side, from its own private key, the other side's public key and the handshake's salt.
     *
     * @param server whether this side is the server (it seals with the server's key and opens with the client's)
     * @throws GeneralSecurityException if the key agreement fails, or the salt is not base64url
     */
    public static SealedChannel derive(PrivateKey own, ECPublicKey peer, String salt, boolean server)
            throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(own);
        ka.doPhase(peer, true);
        byte[] secret = ka.generateSecret();
        byte[] saltBytes;
        try {
            saltBytes = UNB64.decode(salt);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the salt is not base64url");
        }
        byte[] prk = hmac(saltBytes, secret);
        byte[] clientKey = expand(prk, CLIENT_INFO);
        byte[] serverKey = expand(prk, SERVER_INFO);
        Arrays.fill(secret, (byte) 0);
        return server ? new SealedChannel(serverKey, clientKey) : new SealedChannel(clientKey, serverKey);
    }

    /** Seals the next frame this side sends: base64url of IV and ciphertext with its tag. */
    public synchronized String seal(String plaintext) {
        byte[] iv = iv(sealed++);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, iv));
            byte[] in = plaintext.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[IV_BYTES + sealer.getOutputSize(in.length)];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            sealer.doFinal(in, 0, in.length, out, IV_BYTES);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * Opens the next frame the other side sent.
     *
     * @throws GeneralSecurityException if it is not base64url, is too short, is not the next frame (its sequence
     *                                  number), or fails authentication (tampered, or sealed with another key)
     */
    public synchronized String open(String text) throws GeneralSecurityException {
        byte[] raw;
        try {
            raw = UNB64.decode(text);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("a frame that is not sealed (not base64url)");
        }
        if (raw.length < IV_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("a sealed frame too short");
        }
        byte[] expected = iv(opened);
        if (!Arrays.equals(expected, 0, IV_BYTES, raw, 0, IV_BYTES)) {
            throw new GeneralSecurityException("a sealed frame out of sequence (expected number " + opened + ")");
        }
        try {
            opener.init(Cipher.DECRYPT_MODE, openKey, new GCMParameterSpec(TAG_BITS, expected));
            byte[] plain = opener.doFinal(raw, IV_BYTES, raw.length - IV_BYTES);
            opened++;
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new GeneralSecurityException("a sealed frame failed authentication");
        }
    }

    private static byte[] iv(long sequence) {
        return ByteBuffer.allocate(IV_BYTES).putInt(0).putLong(sequence).array();
    }

    /** HKDF-Expand (RFC 5869) of one 32-byte block: T(1) = HMAC(PRK, info || 0x01). */
    private static byte[] expand(byte[] prk, byte[] info) throws GeneralSecurityException {
        byte[] input = Arrays.copyOf(info, info.length + 1);
        input[info.length] = 1;
        return hmac(prk, input);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static void unsigned(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, at + 32 - len, len);
    }

    /** y^2 = x^3 - 3x + b (mod p), with x and y below p. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    private static ECParameterSpec p256() {
        return ((ECPublicKey) newKeyPair().getPublic()).getParams();
    }
}
