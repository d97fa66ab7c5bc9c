package io.bizobs.remediation.flags;

import java.time.Instant;

/**
 * A flag's current value and who set it.
 *
 * @param definition the flag's declaration
 * @param value the current value, of the definition's canonical type
 * @param lastChange the change that set it, or {@code null} while it has its default
 */
public record FlagState(FlagDefinition definition, Object value, LastChange lastChange) {

	/**
	 * The change that set a flag's current value.
	 *
	 * @param at when
	 * @param triggeredBy what the caller said it was ({@code manual}, {@code dynatrace_workflow}, …)
	 * @param caller the authenticated caller, or {@code anonymous}
	 * @param auditId the audit entry of the change
	 */
	public record LastChange(Instant at, String triggeredBy, String caller, String auditId) {
	}

}
