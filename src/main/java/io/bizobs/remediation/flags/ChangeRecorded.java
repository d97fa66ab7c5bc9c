package io.bizobs.remediation.flags;

/**
 * Published after an action that changes no value, such as a ramp's start, was recorded.
 *
 * @param auditId its audit entry
 */
public record ChangeRecorded(String auditId) {
}
