/**
 * Redis for Wiregate: {@link io.wiregate.redisson.RedissonClusterBus}, the cluster bus between nodes (a CDI
 * bean, used as soon as this jar is deployed and {@code wiregate.redis.address} is set), and
 * {@link io.wiregate.redisson.Emitter}, which pushes events to the clients of running nodes from any Java
 * process. Channels and messages are those of docs/protocol.md section 8.
 */
package io.wiregate.redisson;
