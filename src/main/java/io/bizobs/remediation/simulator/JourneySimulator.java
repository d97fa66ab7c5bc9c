package io.bizobs.remediation.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bizobs.remediation.Background;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Runs BizObs journeys against simulated step services, in-process. Every flag acts on them,
 * and the flags are read anew for every step, so a change applies to the very next step. A
 * step's latency is a timer, not a sleeping thread, so journeys under way hold no request
 * thread and never slow the flag reads.
 */
@Component
public class JourneySimulator {

	private static final Set<String> READ_ONLY_STEPS = Set.of("discovery", "awareness", "consideration", "browse",
			"search", "research", "catalog", "view");

	private static final List<String[]> FAILURES = List.of(new String[] { "500", "internal_server_error" },
			new String[] { "503", "service_unavailable" }, new String[] { "504", "gateway_timeout" });

	private final FeatureFlagService flags;

	private final SimulatorProperties properties;

	private final JourneyStats stats;

	private final MeterRegistry meters;

	private final Random random;

	private final CircuitBreakerRegistry breakers;

	private final RateLimiter rateLimiter;

	private final Cache<String, Boolean> readOnlyResults;

	private final Background background;

	private final StepNames names;

	JourneySimulator(FeatureFlagService flags, SimulatorProperties properties, JourneyStats stats,
			MeterRegistry meters, Background background, StepNames names) {
		this.flags = flags;
		this.names = names;
		this.background = background;
		this.properties = properties;
		this.stats = stats;
		this.meters = meters;
		this.random = (properties.seed() != null) ? new Random(properties.seed()) : new Random();
		SimulatorProperties.CircuitBreaker breaker = properties.circuitBreaker();
		this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(Math.max(breaker.minimumCalls(), 10))
			.minimumNumberOfCalls(breaker.minimumCalls())
			.failureRateThreshold(breaker.failureRateThreshold())
			.waitDurationInOpenState(breaker.waitInOpen())
			.permittedNumberOfCallsInHalfOpenState(3)
			.build());
		this.rateLimiter = RateLimiter.of("journeys", RateLimiterConfig.custom()
			.limitForPeriod(properties.rateLimitPerSecond())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ZERO)
			.build());
		// Keyed by caller-chosen company and step names (up to 300 characters): a thousand is room for
		// every customer's read-only steps many times over, and at most about a megabyte.
		this.readOnlyResults = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).maximumSize(1_000).build();
	}

	/**
	 * Starts a journey; it completes at its end or its first failed step.
	 * @throws JourneyRateLimitedException if rate limiting is on and the rate is reached
	 */
	public CompletableFuture<JourneyResult> run(Journey journey) {
		String customer = CustomerProfiles.tag(journey.companyName());
		FlagSnapshot atStart = this.flags.snapshot();
		if (flag(atStart, "rateLimitingEnabled") && !this.rateLimiter.acquirePermission()) {
			this.stats.recordRateLimited();
			journeys(customer, "rate_limited").increment();
			throw new JourneyRateLimitedException(this.properties.rateLimitPerSecond());
		}
		boolean canary = this.random.nextDouble() * 100 < ((Number) atStart.value("canaryTrafficPercent")).doubleValue();
		CompletableFuture<List<JourneyResult.StepResult>> steps = CompletableFuture.completedFuture(new ArrayList<>());
		for (Journey.Step step : journey.steps()) {
			steps = steps.thenCompose((done) -> {
				CompletableFuture<JourneyResult.StepResult> next = done.stream()
					.anyMatch(JourneyResult.StepResult::failed)
							? CompletableFuture.completedFuture(new JourneyResult.StepResult(step.stepName(),
									step.service(), "skipped", 0, 0, null, false, canary))
							: runStep(journey.companyName(), step, canary, this.flags.snapshot());
				return next.thenApply((result) -> {
					record(customer, result);
					done.add(result);
					return done;
				});
			});
		}
		return steps.thenApply((results) -> finish(journey, customer, canary, results));
	}

	private JourneyResult finish(Journey journey, String customer, boolean canary,
			List<JourneyResult.StepResult> results) {
		boolean failed = results.stream().anyMatch(JourneyResult.StepResult::failed);
		int completed = (int) results.stream().filter((step) -> "completed".equals(step.status())).count();
		JourneyResult result = new JourneyResult(
				(journey.journeyId() != null) ? journey.journeyId() : "journey_" + UUID.randomUUID(),
				(journey.customerId() != null) ? journey.customerId() : "customer_" + UUID.randomUUID(),
				UUID.randomUUID().toString(), journey.companyName(), failed ? "failed" : "completed",
				results.size(), completed, canary, results);
		this.stats.record(customer, result);
		journeys(customer, result.status()).increment();
		return result;
	}

	private CompletableFuture<JourneyResult.StepResult> runStep(String company, Journey.Step step, boolean canary,
			FlagSnapshot flags) {
		String service = step.service();
		boolean readOnly = isReadOnly(step.stepName());
		String cacheKey = company + '\u0000' + step.stepName();
		if (flag(flags, "cacheEnabled") && readOnly && this.readOnlyResults.getIfPresent(cacheKey) != null) {
			return CompletableFuture.completedFuture(
					new JourneyResult.StepResult(step.stepName(), service, "completed", 200, 1, null, true, canary));
		}
		CircuitBreaker breaker = flag(flags, "circuitBreakerEnabled")
				? this.breakers.circuitBreaker(this.names.service(service)) : null;
		if (breaker != null && !breaker.tryAcquirePermission()) {
			return CompletableFuture.completedFuture(new JourneyResult.StepResult(step.stepName(), service, "failed",
					503, 0, "circuit_breaker_open", false, canary));
		}
		long latency = latency(flag(flags, "slowResponsesEnabled"));
		return CompletableFuture.supplyAsync(
				() -> endStep(company, step, canary, flags, breaker, readOnly ? cacheKey : null, latency),
				this.background.after(Duration.ofMillis(latency)));
	}

	/**
	 * The step service's answer, once its latency has passed.
	 * @param cacheKey where a read-only step's success is cached, or {@code null}
	 */
	private JourneyResult.StepResult endStep(String company, Journey.Step step, boolean canary, FlagSnapshot flags,
			CircuitBreaker breaker, String cacheKey, long latency) {
		String service = step.service();
		double errorRate = CustomerProfiles.errorRate(company, step.stepName(),
				((Number) flags.value("errorRate")).doubleValue()) + (canary ? this.properties.canaryExtraErrorRate() : 0);
		boolean fails = flag(flags, "errorInjectionEnabled")
				&& this.random.nextDouble() < Math.min(CustomerProfiles.MAX_RATE, errorRate);
		if (!fails) {
			if (breaker != null) {
				breaker.onSuccess(latency, TimeUnit.MILLISECONDS);
			}
			if (cacheKey != null && flag(flags, "cacheEnabled")) {
				this.readOnlyResults.put(cacheKey, Boolean.TRUE);
			}
			return new JourneyResult.StepResult(step.stepName(), service, "completed", 200, latency, null, false,
					canary);
		}
		String[] failure = FAILURES.get(this.random.nextInt(FAILURES.size()));
		if (breaker != null) {
			breaker.onError(latency, TimeUnit.MILLISECONDS, new SimulatedFailure(failure[1]));
		}
		return new JourneyResult.StepResult(step.stepName(), service, "failed", Integer.parseInt(failure[0]), latency,
				failure[1], false, canary);
	}

	private long latency(boolean slowResponses) {
		long min = this.properties.minLatency().toMillis();
		long max = this.properties.maxLatency().toMillis();
		double latency = min + this.random.nextDouble() * (max - min);
		if (slowResponses && this.random.nextDouble() < this.properties.slowShare()) {
			long extraMin = this.properties.slowExtraMin().toMillis();
			latency += extraMin + this.random.nextDouble() * (this.properties.slowExtraMax().toMillis() - extraMin);
		}
		return Math.round(latency * this.properties.latencyScale());
	}

	private void record(String customer, JourneyResult.StepResult step) {
		Counter.builder("bizobs.journey.steps")
			.description("Simulated journey steps")
			.tag("customer", customer)
			.tag("step", this.names.step(step.stepName()))
			.tag("outcome", step.status())
			.register(this.meters)
			.increment();
		if (!step.skipped()) {
			Timer.builder("bizobs.journey.step.duration")
				.description("Simulated step latency")
				.tag("customer", customer)
				.tag("step", this.names.step(step.stepName()))
				.register(this.meters)
				.record(step.durationMs(), TimeUnit.MILLISECONDS);
		}
	}

	/** How many circuit breakers the step services have. */
	int breakerCount() {
		return this.breakers.getAllCircuitBreakers().size();
	}

	private Counter journeys(String customer, String status) {
		return Counter.builder("bizobs.journey.journeys")
			.description("Simulated journeys")
			.tag("customer", customer)
			.tag("status", status)
			.register(this.meters);
	}

	private static boolean isReadOnly(String stepName) {
		String name = stepName.toLowerCase(Locale.ROOT);
		return READ_ONLY_STEPS.stream().anyMatch(name::contains);
	}

	private static boolean flag(FlagSnapshot flags, String name) {
		return Boolean.TRUE.equals(flags.value(name));
	}

	/** What a failing step service "throws", for the circuit breaker's count. */
	private static final class SimulatedFailure extends RuntimeException {

		SimulatedFailure(String errorType) {
			super(errorType, null, false, false);
		}

	}

}
