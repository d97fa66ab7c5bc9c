package io.bizobs.remediation.store;

import java.time.Instant;

/**
 * An event waiting in the outbox, with the audit entry it announces.
 *
 * @param seq its place in the outbox; events are delivered in this order
 * @param attempts delivery attempts so far
 * @param nextAttemptAt not to be attempted before this time
 * @param change the audit entry of the change
 */
public record PendingEvent(long seq, int attempts, Instant nextAttemptAt, AuditEntry change) {
}
