package io.bizobs.remediation.events;

import io.bizobs.remediation.store.EventStatus;

/**
 * What a change's response says of its event.
 *
 * @param status the delivery status
 * @param correlationId Dynatrace's id once delivered
 * @param detail why it is not delivered (yet), or {@code null}
 */
public record DeliveryReport(EventStatus status, String correlationId, String detail) {

	static final DeliveryReport DISABLED = new DeliveryReport(EventStatus.DISABLED, null,
			"No Dynatrace environment is configured (DT_ENVIRONMENT)");

	static final DeliveryReport NOT_YET_ATTEMPTED = new DeliveryReport(EventStatus.PENDING, null,
			"Not yet delivered; it will be retried until it is");

	public boolean sent() {
		return this.status == EventStatus.DELIVERED;
	}

}
