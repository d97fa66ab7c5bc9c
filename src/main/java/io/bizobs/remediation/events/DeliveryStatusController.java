package io.bizobs.remediation.events;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the events go and how their delivery stands, for the operator console: what the health
 * component {@code dynatraceEvents} shows to a caller with a key, readable like the other reads.
 * It names the endpoint and the scheme of its authorization, never the token.
 */
@RestController
@Tag(name = "Dynatrace events")
class DeliveryStatusController {

	private final EventDeliveryWorker worker;

	DeliveryStatusController(EventDeliveryWorker worker) {
		this.worker = worker;
	}

	@GetMapping("/api/remediation/events/status")
	@Operation(summary = "The resolved Events API endpoint, its mode and authorization scheme, pending events, "
			+ "the last delivery and the last error (this replica's)")
	DeliveryStatusResponse status() {
		DynatraceEndpoint endpoint = this.worker.endpoint();
		if (endpoint == null) {
			return new DeliveryStatusResponse(true, false, null, null, null, this.worker.pending(),
					this.worker.lastDeliveredAt(), this.worker.lastError());
		}
		return new DeliveryStatusResponse(true, true, endpoint.ingestUri().toString(),
				endpoint.mode().name().toLowerCase(), (endpoint.scheme() != null) ? endpoint.scheme() : "none",
				this.worker.pending(), this.worker.lastDeliveredAt(), this.worker.lastError());
	}

	/**
	 * @param enabled whether an environment is configured ({@code DT_ENVIRONMENT})
	 * @param endpoint the Events API URL events are posted to
	 * @param mode {@code classic} or {@code platform}
	 * @param authorization the scheme sent ({@code Api-Token}, {@code Bearer}), or {@code none} without a token
	 * @param pending events waiting for delivery, in the whole cluster
	 * @param lastDeliveredAt when this replica last delivered one
	 * @param lastError the last delivery error this replica saw
	 */
	record DeliveryStatusResponse(boolean ok, boolean enabled, String endpoint, String mode, String authorization,
			long pending, Instant lastDeliveredAt, String lastError) {
	}

}
