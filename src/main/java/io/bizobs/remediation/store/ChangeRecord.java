package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.List;

/**
 * One accepted change of one or more flags, stored with its audit entries in one transaction.
 *
 * @param at when the change was made
 * @param remediationType {@code feature_flag_toggle} or {@code bulk_feature_flag_toggle}
 * @param reason why, as the caller said
 * @param problemId the Dynatrace problem it answers, if any
 * @param triggeredBy what triggered it ({@code manual}, {@code dynatrace_workflow}, …)
 * @param caller who made it (an API key's name, or {@code anonymous})
 * @param remoteAddress where the request came from
 * @param eventStatus the initial status of each flag's event
 * @param flags the flags whose value changed
 */
public record ChangeRecord(Instant at, String remediationType, String reason, String problemId, String triggeredBy,
		String caller, String remoteAddress, EventStatus eventStatus, List<FlagChangeRow> flags) {

	/**
	 * One flag's part of a change.
	 *
	 * @param auditId the id of its audit entry
	 * @param flag the flag's name
	 * @param previousValue the JSON literal before
	 * @param newValue the JSON literal after
	 */
	public record FlagChangeRow(String auditId, String flag, String previousValue, String newValue) {
	}

}
