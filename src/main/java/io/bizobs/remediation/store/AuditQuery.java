package io.bizobs.remediation.store;

import java.time.Instant;

/**
 * Which audit entries to read, newest first.
 *
 * @param flag only this flag's entries, or all when {@code null}
 * @param since only entries at or after this time, or all when {@code null}
 * @param limit at most this many entries
 */
public record AuditQuery(String flag, Instant since, int limit) {
}
