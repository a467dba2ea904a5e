/**
 * Wiregate's core at run time: the gateways ({@link io.wiregate.cdi.runtime.Wiregate},
 * {@link io.wiregate.cdi.runtime.GatewayRuntime}), their connections ({@link io.wiregate.cdi.runtime.Connection}),
 * the life of an inbound frame, one class per step ({@code FrameLimits}, {@code SystemEvents},
 * {@code InBandAuthentication}, {@code PacketChain}, {@code RoomRequests}, {@code BindAndValidate},
 * {@code HandlerInvocation}, {@code ResultRouting}, orchestrated by {@code InboundPipeline}), and deliveries
 * ({@code DeliveryService}, {@code ClientRegistry}, {@link io.wiregate.cdi.runtime.BroadcasterImpl}). One package, so
 * that everything but what the endpoint, servlet and extension classes need stays package-private.
 */
package io.wiregate.cdi.runtime;
