package io.wiregate.redisson;

import io.wiregate.Gateway;

/** {@code /open}: a second gateway without authentication, to check namespaces. */
@Gateway(value = "/open", heartbeatTimeoutMs = 0)
public class OpenGateway {
}
