package io.bizobs.remediation.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Which journeys the API starts. Failed journeys are what Dynatrace watches, so a stranger
 * running many could open a problem and start a remediation: a client without a key may start
 * {@code journeys-per-client-per-second}, and at most {@code max-journeys-in-flight} started
 * through the API run at once, each holding its request until it ends. Continuous journeys do not
 * come through here.
 */
@Component
class JourneyAdmission {

	/** Clients whose rate is tracked; one forgotten early only gets a fresh second. */
	private static final int MAX_CLIENTS = 10_000;

	private final SimulatorProperties properties;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Cache<String, RateLimiter> perClient;

	private final RateLimiterConfig perClientRate;

	JourneyAdmission(SimulatorProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.perClient = Caffeine.newBuilder()
			.maximumSize(MAX_CLIENTS)
			.expireAfterAccess(Duration.ofMinutes(1))
			.build();
		this.perClientRate = RateLimiterConfig.custom()
			.limitForPeriod(properties.journeysPerClientPerSecond())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ZERO)
			.build();
		Gauge.builder("bizobs.journey.in.flight", this.inFlight, AtomicInteger::get)
			.description("Journeys started through the API that are under way")
			.register(meters);
	}

	/**
	 * Lets a journey start, or refuses it.
	 * @param client the client, or {@code null} for a caller with a key, whose rate is not limited
	 * @return what to call once the journey has ended
	 * @throws ErrorResponseException 429 past the client's rate, 503 with as many under way as allowed
	 */
	Runnable admit(String client) {
		if (client != null && !this.perClient.get(client, (key) -> RateLimiter.of(key, this.perClientRate))
			.acquirePermission()) {
			throw refusal(HttpStatus.TOO_MANY_REQUESTS, "A client without a key may start at most "
					+ this.properties.journeysPerClientPerSecond() + " journeys a second");
		}
		if (this.inFlight.incrementAndGet() > this.properties.maxJourneysInFlight()) {
			this.inFlight.decrementAndGet();
			throw refusal(HttpStatus.SERVICE_UNAVAILABLE, this.properties.maxJourneysInFlight()
					+ " journeys started through the API are under way, as many as may be; try again when some have ended");
		}
		return this.inFlight::decrementAndGet;
	}

	private static ErrorResponseException refusal(HttpStatus status, String detail) {
		ErrorResponseException refusal = new ErrorResponseException(status,
				ProblemDetail.forStatusAndDetail(status, detail), null);
		refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
		return refusal;
	}

}
