package io.bizobs.remediation.store;

import java.time.Instant;

/**
 * Which audit entries to read, newest first; each condition left {@code null} matches all.
 *
 * @param flag only this flag's entries
 * @param triggeredBy only entries triggered by this ({@code manual}, {@code dynatrace_workflow}, …)
 * @param problemId only entries that answer this Dynatrace problem
 * @param since only entries at or after this time
 * @param limit at most this many entries
 */
public record AuditQuery(String flag, String triggeredBy, String problemId, Instant since, int limit) {

	/** Entries of one flag, or of all, since a time. */
	public AuditQuery(String flag, Instant since, int limit) {
		this(flag, null, null, since, limit);
	}

}
