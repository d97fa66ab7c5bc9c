package io.bizobs.remediation.simulator;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The BizObs journey simulator, {@code remediation.simulator.*}.
 *
 * @param latencyScale multiplies every simulated latency ({@code SIMULATOR_LATENCY_SCALE}); 0.01
 * makes a journey take milliseconds
 * @param minLatency shortest simulated step
 * @param maxLatency longest simulated step, before slow responses
 * @param slowShare share of steps that are slow while {@code slowResponsesEnabled}
 * @param slowExtraMin least extra time of a slow step
 * @param slowExtraMax most extra time of a slow step
 * @param canaryExtraErrorRate added to the error rate of steps on the canary version
 * @param rateLimitPerSecond journeys per second allowed while {@code rateLimitingEnabled}
 * @param circuitBreaker the step services' circuit breakers
 * @param cacheTtl how long a read-only step's result is served from the cache
 * @param statsWindow the sliding window of the statistics
 * @param failingServiceErrorRate the share of failed calls in the statistics window past which a
 * step service counts as failing ({@code bizobs.journey.services.failing})
 * @param seed seeds the simulator's randomness, for repeatable runs; none by default
 * @param continuous continuous traffic
 * @param maxWindowJourneys journeys the statistics keep at most: under a flood of journeys the
 * window holds the latest ones, not all of the last minute
 * @param maxJourneysInFlight journeys started through the API that may be under way at once; more
 * are answered 503. Each holds its request (about 105 KB) until it ends
 * @param journeysPerClientPerSecond journeys one client without a key may start a second; more are
 * answered 429. Continuous journeys and callers with a key are not counted
 */
@ConfigurationProperties("remediation.simulator")
public record SimulatorProperties(@DefaultValue("1.0") double latencyScale, @DefaultValue("100ms") Duration minLatency,
		@DefaultValue("300ms") Duration maxLatency, @DefaultValue("0.2") double slowShare,
		@DefaultValue("1s") Duration slowExtraMin, @DefaultValue("3s") Duration slowExtraMax,
		@DefaultValue("0.15") double canaryExtraErrorRate, @DefaultValue("10") int rateLimitPerSecond,
		@DefaultValue CircuitBreaker circuitBreaker, @DefaultValue("60s") Duration cacheTtl,
		@DefaultValue("60s") Duration statsWindow,
		@DefaultValue("0.05") double failingServiceErrorRate, Long seed, @DefaultValue Continuous continuous,
		@DefaultValue("10000") int maxWindowJourneys, @DefaultValue("100") int maxJourneysInFlight,
		@DefaultValue("5") int journeysPerClientPerSecond) {

	/**
	 * @param failureRateThreshold percentage of failed calls that opens a breaker
	 * @param minimumCalls calls a breaker needs before it judges
	 * @param waitInOpen how long an open breaker fails fast before it half-opens
	 */
	public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("5") int minimumCalls,
			@DefaultValue("10s") Duration waitInOpen) {
	}

	/**
	 * @param enabled run journeys on a timer ({@code ENABLE_CONTINUOUS_JOURNEYS})
	 * @param interval between batches ({@code JOURNEY_INTERVAL_MS})
	 * @param batchSize journeys per batch ({@code JOURNEY_BATCH_SIZE})
	 * @param customers whose journeys run, in turn
	 */
	public record Continuous(boolean enabled, @DefaultValue("30s") Duration interval, @DefaultValue("5") int batchSize,
			@DefaultValue({ "Umbrella Corporation", "Globex Corporation", "Acme Corp", "Initech",
					"Stark Industries" }) List<String> customers) {
	}

}
