package io.bizobs.remediation.flags;

import io.bizobs.remediation.store.EventStatus;

/**
 * Decides whether a change is announced to Dynatrace: {@link EventStatus#PENDING} queues its
 * event with the change, {@link EventStatus#DISABLED} records that none is sent.
 */
@FunctionalInterface
public interface ChangeEventPolicy {

	EventStatus initialStatus();

}
