/**
 * Internal SPI shared by Wiregate's own modules, not API: applications must not use it, and it may change in any
 * release without notice.
 */
package io.wiregate.protocol.internal;
