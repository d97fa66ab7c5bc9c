package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded change of one flag.
 *
 * @param id the entry's id
 * @param timestamp when the change was made
 * @param version the flags' version it produced
 * @param flag the flag
 * @param previousValue the JSON literal before
 * @param newValue the JSON literal after
 * @param reason why
 * @param problemId the Dynatrace problem, if any
 * @param triggeredBy what triggered it
 * @param remediationType the kind of change, as sent to Dynatrace
 * @param caller who made it
 * @param remoteAddress where the request came from
 * @param eventStatus what became of its Dynatrace event
 * @param eventCorrelationId Dynatrace's correlation id once delivered
 * @param eventError the last delivery error, if any
 * @param details extra event properties, empty for most entries
 * @param commentStatus what became of its comment on the Dynatrace problem, or {@code null} when it
 * has none
 * @param commentError the last delivery error of that comment, if any
 */
public record AuditEntry(String id, Instant timestamp, long version, String flag, String previousValue,
		String newValue, String reason, String problemId, String triggeredBy, String remediationType, String caller,
		String remoteAddress, EventStatus eventStatus, String eventCorrelationId, String eventError,
		Map<String, String> details, EventStatus commentStatus, String commentError) {
}
