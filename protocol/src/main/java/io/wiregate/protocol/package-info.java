/**
 * The wire rules of docs/protocol.md, with no container: what any Wiregate endpoint, the Redis bus between nodes,
 * an emitter or a client in Java agrees on. {@link io.wiregate.protocol.EnvelopeParser} reads client frames and
 * {@link io.wiregate.protocol.Frames} writes the server's (sections 2 to 5), {@link io.wiregate.protocol.EventNames}
 * holds the event and room name rules, {@link io.wiregate.protocol.CloseCodes} and
 * {@link io.wiregate.protocol.ErrorCode} the codes; {@link io.wiregate.protocol.WebSocketFrames} encodes a text
 * frame once for raw writes; {@link io.wiregate.protocol.Target} says who receives a delivery (section 7), and
 * {@link io.wiregate.protocol.ClusterMessage} is the message of section 8. Only the JSON-P API is needed.
 */
package io.wiregate.protocol;
