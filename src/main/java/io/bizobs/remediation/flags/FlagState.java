package io.bizobs.remediation.flags;

import java.time.Instant;

/**
 * A flag's current value, who set it, and whether it will be put back.
 *
 * @param definition the flag's declaration
 * @param value the current value, of the definition's canonical type
 * @param lastChange the change that set it, or {@code null} while it has its default
 * @param pendingRevert the revert due for the current value, or {@code null}
 */
public record FlagState(FlagDefinition definition, Object value, LastChange lastChange, PendingRevert pendingRevert) {

	/**
	 * The change that set a flag's current value.
	 *
	 * @param at when
	 * @param triggeredBy what the caller said it was ({@code manual}, {@code dynatrace_workflow}, …)
	 * @param caller the authenticated caller, or {@code anonymous}
	 * @param auditId the audit entry of the change, or {@code null} for a ramp's step
	 */
	public record LastChange(Instant at, String triggeredBy, String caller, String auditId) {
	}

	/**
	 * A revert that will put the flag back, unless it is changed again first.
	 *
	 * @param revertAt when
	 * @param revertTo the value it goes back to
	 * @param auditId the change it undoes
	 */
	public record PendingRevert(Instant revertAt, Object revertTo, String auditId) {
	}

}
