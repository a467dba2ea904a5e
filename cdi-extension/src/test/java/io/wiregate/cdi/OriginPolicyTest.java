package io.wiregate.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The {@code Origin} rule every runtime applies to a handshake before anything else. */
class OriginPolicyTest {

    private static final List<String> SAME_ORIGIN_ONLY = List.of();

    @Test
    void handshakeWithoutOriginPassesWhateverTheList() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, null, "127.0.0.1:8025")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, null, null)).isTrue();
        assertThat(OriginPolicy.allowed(List.of("https://app.example.com"), null, "ws.example.com")).isTrue();
    }

    @Test
    void withoutAllowedOriginsTheRequestsOwnHostAndPortPass() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1:8025", "127.0.0.1:8025")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://localhost:8025", "localhost:8025")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "https://chat.example.com:8443", "chat.example.com:8443")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://[::1]:8025", "[::1]:8025")).isTrue();
    }

    @Test
    void withoutAllowedOriginsForeignOriginsAreRefused() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://evil.example", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://evil.example:8025", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://localhost.evil.example", "localhost")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://evil.localhost", "localhost")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://localhost:8025", "127.0.0.1:8025"))
                .as("another name of the same machine is another origin").isFalse();
    }

    @Test
    void anotherPortOfTheSameHostIsAnotherOrigin() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1:9000", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1:8025", "127.0.0.1")).isFalse();
    }

    @Test
    void defaultPortsAreUnderstoodForHttpAndHttpsOrigins() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://chat.example.com", "chat.example.com")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "https://chat.example.com", "chat.example.com")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://chat.example.com", "chat.example.com:80")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "https://chat.example.com", "chat.example.com:443")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://chat.example.com:80", "chat.example.com")).isTrue();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "https://chat.example.com", "chat.example.com:80")).isFalse();
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://chat.example.com", "chat.example.com:443")).isFalse();
    }

    @Test
    void hostsCompareWithoutRegardToCase() {
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://Chat.Example.com:8025", "chat.example.COM:8025")).isTrue();
    }

    @Test
    void withoutAllowedOriginsOpaqueOrMalformedOriginsAndHostsAreRefused() {
        for (String origin : List.of("null", "file://", "chrome-extension://abc", "ws://127.0.0.1:8025", "http://",
                "http://127.0.0.1:8025/", "http://127.0.0.1:8025/path", "http://user@127.0.0.1:8025",
                "http://127.0.0.1:", "http://127.0.0.1:99999", "http://127.0.0.1:80x", "http://[::1", "127.0.0.1:8025", "")) {
            assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, origin, "127.0.0.1:8025")).as("Origin: %s", origin).isFalse();
        }
        for (String host : List.of("", ":8025", "127.0.0.1:", "127.0.0.1:x", "a b:8025", "127.0.0.1:8025:1")) {
            assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1:8025", host)).as("Host: %s", host).isFalse();
        }
        assertThat(OriginPolicy.allowed(SAME_ORIGIN_ONLY, "http://127.0.0.1:8025", null)).as("no Host").isFalse();
    }

    @Test
    void allowedOriginsReplaceTheSameOriginRuleAndAreMatchedExactly() {
        List<String> listed = List.of("http://localhost", "http://127.0.0.1");
        assertThat(OriginPolicy.allowed(listed, "http://localhost", "127.0.0.1:8025")).isTrue();
        assertThat(OriginPolicy.allowed(listed, "http://127.0.0.1", "127.0.0.1:8025")).isTrue();
        assertThat(OriginPolicy.allowed(listed, "http://evil.example", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(listed, "http://localhost.evil.example", "127.0.0.1:8025")).isFalse();
        assertThat(OriginPolicy.allowed(listed, "http://127.0.0.1:8025", "127.0.0.1:8025"))
                .as("the request's own origin passes only when listed").isFalse();
    }

    @Test
    void starInAllowedOriginsAllowsAnyOrigin() {
        assertThat(OriginPolicy.allowed(List.of("*"), "http://evil.example", "127.0.0.1:8025")).isTrue();
        assertThat(OriginPolicy.allowed(List.of("https://app.example.com", "*"), "null", null)).isTrue();
    }

    @Test
    void checkOriginWithoutTheHostRefusesOnlyOriginsTheListLeavesOut() {
        assertThat(OriginPolicy.allowedByList(SAME_ORIGIN_ONLY, "http://evil.example"))
                .as("decided later, with the Host header").isTrue();
        assertThat(OriginPolicy.allowedByList(List.of("http://localhost"), "http://evil.example")).isFalse();
        assertThat(OriginPolicy.allowedByList(List.of("http://localhost"), "http://localhost")).isTrue();
        assertThat(OriginPolicy.allowedByList(List.of("http://localhost"), null)).isTrue();
        assertThat(OriginPolicy.allowedByList(List.of("*"), "http://evil.example")).isTrue();
    }
}
