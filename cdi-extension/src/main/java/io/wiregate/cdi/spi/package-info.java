/**
 * Internal SPI of Wiregate's own runtimes: what a module hosting gateways on its own WebSocket server needs from the
 * CDI extension ({@link io.wiregate.cdi.spi.GatewayHost}). Together with the transport port
 * ({@link io.wiregate.cdi.transport}), it is all that another module sees of {@code wiregate-cdi} besides the CDI
 * extension itself. Not an application API: it may change in any release.
 */
package io.wiregate.cdi.spi;
