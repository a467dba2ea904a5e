package io.wiregate.tyrus;

import org.glassfish.tyrus.core.frame.TyrusFrame;
import org.glassfish.tyrus.core.monitoring.ApplicationEventListener;
import org.glassfish.tyrus.core.monitoring.EndpointEventListener;
import org.glassfish.tyrus.core.monitoring.MessageEventListener;

import io.wiregate.cdi.runtime.Wiregate;

/**
 * Tells Wiregate about every frame a client sends, pings included: Jakarta WebSocket hides a client's pings
 * (the container answers them), yet docs/protocol.md section 6 lets any frame restart the heartbeat timer. Tyrus
 * reports received frames to its monitoring listener, per session; this one only touches the connection.
 */
final class FrameActivityListener implements ApplicationEventListener {

    private final Wiregate wiregate;

    FrameActivityListener(Wiregate wiregate) {
        this.wiregate = wiregate;
    }

    @Override
    public void onApplicationInitialized(String applicationName) {
        // nothing to track
    }

    @Override
    public void onApplicationDestroyed() {
        // nothing to release
    }

    @Override
    public EndpointEventListener onEndpointRegistered(String endpointPath, Class<?> endpointClass) {
        return new EndpointEventListener() {
            @Override
            public MessageEventListener onSessionOpened(String sessionId) {
                return new MessageEventListener() {
                    @Override
                    public void onFrameSent(TyrusFrame.FrameType frameType, long payloadLength) {
                        // outbound frames say nothing about the client
                    }

                    @Override
                    public void onFrameReceived(TyrusFrame.FrameType frameType, long payloadLength) {
                        wiregate.touch(sessionId);
                    }
                };
            }

            @Override
            public void onSessionClosed(String sessionId) {
                // Wiregate forgets the session itself
            }

            @Override
            public void onError(String sessionId, Throwable t) {
                // reported to the endpoint too
            }
        };
    }

    @Override
    public void onEndpointUnregistered(String endpointPath) {
        // nothing to track
    }
}
