package io.bizobs.remediation.store;

/**
 * Another replica may have changed the flags: published when one says so, and now and then in
 * case a notification was missed.
 */
public record DatabaseChanged() {
}
