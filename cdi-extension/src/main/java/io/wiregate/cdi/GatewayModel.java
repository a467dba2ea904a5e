package io.wiregate.cdi;

import java.util.List;
import java.util.Map;

import io.wiregate.Auth;

/**
 * The immutable description of one gateway, built once at deployment by {@link GatewayModelBuilder}.
 *
 * @param beanClass     the gateway class
 * @param path          the declared path, for example {@code /rooms/{roomId}}
 * @param name          the name used in configuration keys
 * @param auth          the authentication mode
 * @param limits        the resolved limits
 * @param handlers      event handlers by event name
 * @param onOpen        {@code @OnOpen} callbacks
 * @param onClose       {@code @OnClose} callbacks
 * @param authenticator the {@code @Authenticate} method, or null
 */
record GatewayModel(Class<?> beanClass, String path, String name, Auth auth, GatewayLimits limits,
                           Map<String, HandlerModel> handlers, List<CallbackModel> onOpen,
                           List<CallbackModel> onClose, CallbackModel authenticator) {

    public GatewayModel {
        handlers = Map.copyOf(handlers);
        onOpen = List.copyOf(onOpen);
        onClose = List.copyOf(onClose);
    }

    /** The gateway's simple class name, for messages. */
    public String displayName() {
        return beanClass.getSimpleName();
    }
}
