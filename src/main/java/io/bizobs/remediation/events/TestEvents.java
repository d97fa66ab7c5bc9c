package io.bizobs.remediation.events;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.store.EventStatus;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Sends one {@code CUSTOM_INFO} event straight away, bypassing the outbox, and says what
 * Dynatrace answered: "events not appearing in Dynatrace?" answered in one request.
 */
class TestEvents {

	private static final Logger logger = LoggerFactory.getLogger(TestEvents.class);

	private final DynatraceClient client;

	private final String entitySelector;

	private final Clock clock;

	/** Every test event is an event in Dynatrace, and each caller with a key may send them. */
	private final RateLimiter rate;

	/** @param client the Dynatrace client, or {@code null} when no environment is configured */
	TestEvents(DynatraceClient client, String entitySelector, Clock clock, int perMinute) {
		this.client = client;
		this.entitySelector = entitySelector;
		this.clock = clock;
		this.rate = RateLimiter.of("test-events", RateLimiterConfig.custom()
			.limitForPeriod(perMinute)
			.limitRefreshPeriod(Duration.ofMinutes(1))
			.timeoutDuration(Duration.ZERO)
			.build());
	}

	/**
	 * @throws ErrorResponseException 429 when {@code test-events-per-minute} were sent this minute
	 */
	CompletableFuture<Result> send() {
		if (this.client == null) {
			return CompletableFuture.completedFuture(new Result(FirstAttempts.DISABLED, null));
		}
		if (!this.rate.acquirePermission()) {
			ErrorResponseException refusal = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS,
					ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, "At most "
							+ this.rate.getRateLimiterConfig().getLimitForPeriod()
							+ " test events are sent a minute; the last ones answered whether events get through"),
					null);
			refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
			throw refusal;
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
