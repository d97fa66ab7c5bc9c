package io.bizobs.remediation.flags;

import io.bizobs.remediation.store.EventStatus;

/**
 * What a change's response says of its event.
 *
 * @param status the delivery status
 * @param correlationId Dynatrace's id once delivered
 * @param detail why it is not delivered (yet), or {@code null}
 */
public record DeliveryReport(EventStatus status, String correlationId, String detail) {

	public boolean sent() {
		return this.status == EventStatus.DELIVERED;
	}

}
