package io.bizobs.remediation.events;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Shows whether events reach Dynatrace. Always UP: the service's job is the flags, and a
 * Dynatrace outage must not make a load balancer take it out of rotation.
 */
@Component("dynatraceEvents")
class DynatraceEventsHealthIndicator extends AbstractHealthIndicator {

	private final EventDeliveryWorker worker;

	DynatraceEventsHealthIndicator(EventDeliveryWorker worker) {
		this.worker = worker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetail("enabled", this.worker.enabled()).withDetail("pending", this.worker.pending());
		if (this.worker.endpoint() != null) {
			builder.withDetail("endpoint", this.worker.endpoint().describe());
		}
		if (this.worker.lastDeliveredAt() != null) {
			builder.withDetail("lastDeliveredAt", this.worker.lastDeliveredAt().toString());
		}
		if (this.worker.lastError() != null) {
			builder.withDetail("lastError", this.worker.lastError());
		}
	}

}
