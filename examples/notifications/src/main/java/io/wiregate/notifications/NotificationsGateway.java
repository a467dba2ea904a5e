package io.wiregate.notifications;

import io.wiregate.Auth;
import io.wiregate.Authenticate;
import io.wiregate.Gateway;
import io.wiregate.HandshakeRequest;
import io.wiregate.Identity;

/**
 * {@code /notifications}: browsers connect with {@code ?user=NAME} and only listen; the
 * {@link NotificationWorker} pushes to them through Redis. A demo: any name is accepted, no password.
 */
@Gateway(value = "/notifications", auth = Auth.HANDSHAKE)
public class NotificationsGateway {

    @Authenticate
    Identity authenticate(HandshakeRequest request) {
        String user = request.queryParameter("user");
        return Identity.of(user == null || user.isBlank() || user.length() > 64 ? "guest" : user);
    }
}
