/**
 * Wiregate's CDI extension and its core. {@link io.wiregate.cdi.WiregateExtension} discovers the gateways and checks
 * them at deployment (the model: {@code GatewayModelBuilder}, {@code DeploymentValidator}, every problem's message in
 * {@link io.wiregate.cdi.DeploymentMessages}); {@link io.wiregate.cdi.Wiregate} runs them. At run time a
 * {@link io.wiregate.cdi.GatewayEndpoint} per connection hands frames to the gateway's
 * {@link io.wiregate.cdi.GatewayRuntime}, and the life of an inbound frame is one class per step
 * ({@code FrameLimits}, {@code SystemEvents}, {@code InBandAuthentication}, {@code PacketChain},
 * {@code RoomRequests}, {@code BindAndValidate}, {@code HandlerInvocation}, {@code ResultRouting}, orchestrated by
 * {@code InboundPipeline}); deliveries go through {@code DeliveryService} and {@code ClientRegistry}.
 *
 * <p>One package, so that everything but what the container, the {@code servlet} package and
 * {@link io.wiregate.cdi.spi.GatewayHost} need stays package-private. None of it is an application API.
 */
package io.wiregate.cdi;
