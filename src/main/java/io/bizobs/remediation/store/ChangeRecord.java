package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One accepted change of one or more flags, stored with its audit entries in one transaction.
 *
 * @param at when the change was made
 * @param valueChange whether values change (a new version); a ramp's start and end are recorded
 * without one
 * @param remediationType the kind of change, or {@code null} for one that is not audited
 * @param countsForGuard whether the loop guard counts it
 * @param reason why, as the caller said
 * @param problemId the Dynatrace problem it answers, if any
 * @param triggeredBy what triggered it ({@code manual}, {@code dynatrace_workflow}, …)
 * @param caller who made it (an API key's name, or {@code anonymous})
 * @param remoteAddress where the request came from
 * @param eventStatus the initial status of each flag's event
 * @param revertAt when each changed flag goes back to its previous value, or {@code null}
 * @param details extra event properties, empty for most changes
 * @param flags the flags whose value changed
 */
public record ChangeRecord(Instant at, boolean valueChange, String remediationType, boolean countsForGuard,
		String reason, String problemId, String triggeredBy, String caller, String remoteAddress,
		EventStatus eventStatus, Instant revertAt, Map<String, String> details, List<FlagChangeRow> flags) {

	public boolean audited() {
		return this.remediationType != null;
	}

	/**
	 * One flag's part of a change.
	 *
	 * @param auditId the id of its audit entry, or {@code null} when not audited
	 * @param flag the flag's name
	 * @param previousValue the JSON literal before
	 * @param newValue the JSON literal after
	 */
	public record FlagChangeRow(String auditId, String flag, String previousValue, String newValue) {
	}

}
