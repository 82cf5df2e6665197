package io.nexus.common.outbox;

/** Part of a batch could not be published; the acknowledged prefix was marked sent, the rest will be retried. */
class OutboxPublishException extends RuntimeException {

    OutboxPublishException(int acknowledged, int batchSize, Throwable cause) {
        super(acknowledged + " of " + batchSize + " events published before: " + cause.getMessage(), cause);
    }
}
