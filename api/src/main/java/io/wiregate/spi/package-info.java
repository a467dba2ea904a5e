/** What integrators implement: the {@link io.wiregate.spi.ClusterBus} between nodes. */
package io.wiregate.spi;
