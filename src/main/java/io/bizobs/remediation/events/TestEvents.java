package io.bizobs.remediation.events;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.store.EventStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@code CUSTOM_INFO} event straight away, bypassing the outbox, and says what
 * Dynatrace answered: "events not appearing in Dynatrace?" answered in one request.
 */
class TestEvents {

	private static final Logger logger = LoggerFactory.getLogger(TestEvents.class);

	private final DynatraceClient client;

	private final String entitySelector;

	private final Clock clock;

	/** @param client the Dynatrace client, or {@code null} when no environment is configured */
	TestEvents(DynatraceClient client, String entitySelector, Clock clock) {
		this.client = client;
		this.entitySelector = entitySelector;
		this.clock = clock;
	}

	CompletableFuture<Result> send() {
		if (this.client == null) {
			return CompletableFuture.completedFuture(new Result(FirstAttempts.DISABLED, null));
		}
		String endpoint = this.client.endpoint().describe();
		return this.client.send(EventPayload.test(this.clock.instant(), this.entitySelector)).thenApply((result) -> {
			if (result instanceof IngestResult.Delivered delivered) {
				logger.info("[Event API] Sent CUSTOM_INFO test event: {} (correlationId {})", delivered.message(),
						delivered.correlationId());
				return new Result(new DeliveryReport(EventStatus.DELIVERED, delivered.correlationId(),
						delivered.message()), endpoint);
			}
			logger.warn("[Event API] Test event not delivered: {}", result.message());
			EventStatus status = (result instanceof IngestResult.Refused) ? EventStatus.FAILED : EventStatus.PENDING;
			return new Result(new DeliveryReport(status, null, result.message()), endpoint);
		});
	}

	/**
	 * What became of a test event.
	 *
	 * @param report the outcome; {@code PENDING} means Dynatrace could not be reached
	 * @param endpoint where it was sent, or {@code null} when events are disabled
	 */
	record Result(DeliveryReport report, String endpoint) {
	}

}
