/**
 * Wiregate's public API: {@link io.wiregate.Gateway} and its handler annotations, {@link io.wiregate.Peer},
 * and {@link io.wiregate.Broadcaster} for server pushes.
 */
package io.wiregate;
