package io.wiregate.it.app;

import io.wiregate.Gateway;

/** Has no handlers: {@link NewsService} pushes to it from outside any connection. */
@Gateway(value = "/news", heartbeatTimeoutMs = 0)
public class NewsGateway {
}
