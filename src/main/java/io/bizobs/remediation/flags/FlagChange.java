package io.bizobs.remediation.flags;

import io.bizobs.remediation.store.EventStatus;

/**
 * What a change did to one flag.
 *
 * @param flag the flag
 * @param previousValue its value before
 * @param newValue its value after
 * @param changed whether the value differs, and so was recorded and announced
 * @param auditId the audit entry, or {@code null} when nothing was recorded
 * @param eventStatus what became of the Dynatrace event
 */
public record FlagChange(String flag, Object previousValue, Object newValue, boolean changed, String auditId,
		EventStatus eventStatus) {
}
