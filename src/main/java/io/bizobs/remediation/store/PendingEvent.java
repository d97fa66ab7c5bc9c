package io.bizobs.remediation.store;

import java.time.Instant;

/**
 * A delivery waiting in the outbox: the event announcing an audit entry, or a comment on its
 * Dynatrace problem.
 *
 * @param seq its place in the outbox; deliveries are made in this order
 * @param attempts delivery attempts so far
 * @param nextAttemptAt not to be attempted before this time
 * @param change the audit entry it is about
 * @param comment whether it is the comment on the entry's problem rather than its event
 */
public record PendingEvent(long seq, int attempts, Instant nextAttemptAt, AuditEntry change, boolean comment) {
}
