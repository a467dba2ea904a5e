package io.wiregate.it.broken;

import io.wiregate.Gateway;
import io.wiregate.OnEvent;

/** Declares a handler for a reserved system event: the deployment must fail with WG-0004. */
@Gateway("/broken")
public class BrokenGateway {

    @OnEvent("connected")
    void connected() {
    }
}
