package io.wiregate.spi;

/**
 * The history of one gateway with connection state recovery (docs/protocol.md section 9), shared by the nodes of an
 * application: one log of records in one order that every node reads. Wiregate appends to it the gateway's
 * recoverable events and its sessions' changes, and delivers those events from it on every node, the sending node
 * included, so a client's offsets mean the same on any node and a session can resume anywhere.
 *
 * <p>A log is provided by a {@link ClusterBus} ({@link ClusterBus#recoveryLog}); without one, recovery keeps its
 * history in memory on each node. Implementations must be thread-safe, must never block in {@link #append}, must keep
 * the order of one node's appends, must hand every record to the reader once (dropping a record appended twice after
 * a failure), and must announce a lost history with a new epoch.
 */
public interface RecoveryLog {

    /** Receives the records of a log, one at a time, in the log's order. */
    interface Reader {

        /**
         * One record.
         *
         * @param epoch    the history the record belongs to: it changes when the log lost what it held (a broker
         *                 restarted empty), and positions of different epochs are never compared
         * @param position where the record is in its epoch, greater than every earlier record's
         * @param millis   the log's clock when the record was appended (milliseconds since the epoch of 1970), for
         *                 the window of recovery: the same on every node
         * @param record   the record's text, as appended (untrusted: anyone with access to the broker may write)
         */
        void record(String epoch, long position, long millis, String record);

        /**
         * Records were lost before {@code position}: a node had to drop some while the broker was unreachable for
         * long. No session can be recovered exactly across it, and clients connected now may have missed events.
         *
         * @param epoch    as for {@link #record}
         * @param position as for {@link #record}
         */
        void gap(String epoch, long position);
    }

    /**
     * Reads what the log holds (the history a starting node catches up with, handed to {@code reader} before this
     * returns), then follows it: every later record goes to {@code reader}, from a thread of the log.
     *
     * @throws Exception if the log cannot be read; the deployment then fails
     */
    void start(Reader reader) throws Exception;

    /**
     * Appends a record after every record this node appended before. Never blocks: while the broker is unreachable
     * records wait, bounded, and go in order once it is back.
     *
     * @return false if the record was refused (the bound of waiting records is reached, or the log is stopped)
     */
    boolean append(String record);

    /** Stops following the log and drops the records still waiting. Idempotent. */
    void stop();
}
