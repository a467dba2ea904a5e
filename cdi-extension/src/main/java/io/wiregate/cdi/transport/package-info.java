/**
 * The transport port between Wiregate's core and a WebSocket container, and its implementations.
 *
 * <p>Each connection writes through one {@link io.wiregate.cdi.transport.Transport}, taken from the
 * {@link io.wiregate.cdi.transport.ContainerProfile} chosen once at startup
 * ({@link io.wiregate.cdi.transport.ContainerProfiles#forContainer}, the one place that tells containers apart).
 * The connection's {@link io.wiregate.cdi.transport.OutboundQueue} keeps the bound, order, hold and drain of its
 * {@link io.wiregate.cdi.transport.OutboundFrame}s; the transport only writes them.
 *
 * <p>{@code Transport}, {@code RawWriter}, {@code Transports}, {@code TransportSettings}, {@code ContainerProfile},
 * {@code OutboundFrame} and {@code TyrusSessions} are the internal SPI of Wiregate's runtimes (runtime-tyrus
 * implements a profile with them); not an application API, they may change in any release.
 */
package io.wiregate.cdi.transport;
