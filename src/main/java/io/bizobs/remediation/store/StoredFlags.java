package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.Map;

/**
 * The flags as the database holds them.
 *
 * @param version the version of the last stored change, 0 before the first
 * @param updatedAt when that change was stored
 * @param flags each changed flag by name; flags never changed are absent
 * @param reverts the pending reverts by flag name
 */
public record StoredFlags(long version, Instant updatedAt, Map<String, Row> flags, Map<String, Revert> reverts) {

	/**
	 * One flag's stored value.
	 *
	 * @param value the value's JSON literal
	 * @param changedAt when it was set
	 * @param triggeredBy what the change said triggered it
	 * @param caller who made the change
	 * @param auditId the audit entry of the change, or {@code null} for a ramp's step
	 */
	public record Row(String value, Instant changedAt, String triggeredBy, String caller, String auditId) {
	}

	/**
	 * A revert due for a flag.
	 *
	 * @param revertTo the JSON literal it goes back to
	 * @param revertAt when
	 * @param auditId the change it undoes
	 */
	public record Revert(String revertTo, Instant revertAt, String auditId) {
	}

}
