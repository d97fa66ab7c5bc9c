package io.bizobs.remediation.simulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.bizobs.remediation.TestScheduler;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagProperties;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each flag's effect on the journeys, with and without it, measured over enough journeys to be
 * sure. The randomness is seeded, so the figures are the same on every run.
 */
class JourneySimulatorTests {

	private static final ChangeContext OPERATOR = new ChangeContext(null, null, "manual", "anonymous", null);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@TempDir
	Path dataDir;

	private FeatureFlagService flags;

	private JourneyStats stats;

	private final TestScheduler scheduler = new TestScheduler();

	@AfterEach
	void stopScheduler() {
		this.scheduler.close();
	}

	@BeforeEach
	void setUp() {
		this.flags = new FeatureFlagService(new FlagRegistry(new FlagProperties(null)),
				TestDatabase.open(this.dataDir).flags(), Clock.systemUTC(), () -> EventStatus.DISABLED,
				(changed, caller, now) -> {
				}, (event) -> {
				});
		set("canaryTrafficPercent", 0);
		set("cacheEnabled", false);
		set("slowResponsesEnabled", false);
	}

	@Test
	void journeysNamingNewStepsAndServicesWithEveryStepGrowNeitherBreakersNorMetersNorStatistics() {
		set("circuitBreakerEnabled", true);
		JourneySimulator simulator = simulator(0.0, 2_000);

		for (int i = 0; i < 10_000; i++) {
			List<Journey.Step> steps = List.of(new Journey.Step("Verification " + i, "service-" + i + "-a"),
					new Journey.Step("Purchase " + i, "service-" + i + "-b"));
			simulator.run(new Journey(null, null, "Umbrella Corporation", steps)).join();
		}

		assertThat(simulator.breakerCount()).isLessThanOrEqualTo(StepNames.MAX_NAMES + 1);
		assertThat(this.meters.getMeters()
			.stream()
			.map((meter) -> meter.getId().getTag("step"))
			.filter(Objects::nonNull)
			.distinct()).hasSizeLessThanOrEqualTo(StepNames.MAX_NAMES + 1);
		JourneyStats.Window window = this.stats.window();
		assertThat(window.journeys()).isEqualTo(2_000);
		assertThat(this.stats.failingServices()).isLessThanOrEqualTo(StepNames.MAX_NAMES + 1);
	}

	@Test
	void umbrellaFailsAboutAThirdOfItsStepsAndNoneOnceErrorInjectionIsOff() {
		JourneySimulator simulator = simulator(0.0);

		assertThat(stepFailureRate(simulator, "Umbrella Corporation", "Purchase", 3000)).isCloseTo(0.35, within(0.03));

		set("errorInjectionEnabled", false);
		assertThat(stepFailureRate(simulator, "Umbrella Corporation", "Purchase", 3000)).isZero();
	}

	@Test
	void servicesFailingCountsTheStepServicesThatFailMoreThanFivePercent() {
		JourneySimulator simulator = simulator(0.0);
		run(simulator, "Umbrella Corporation", "Purchase", 200);
		assertThat(this.meters.get("bizobs.journey.services.failing").gauge().value()).isEqualTo(1);
		run(simulator, "Umbrella Corporation", "Verification", 200);
		assertThat(this.meters.get("bizobs.journey.services.failing").gauge().value()).isEqualTo(2);

		set("errorInjectionEnabled", false);
		JourneySimulator healthy = simulator(0.0);
		run(healthy, "Umbrella Corporation", "Purchase", 200);
		run(healthy, "Umbrella Corporation", "Verification", 200);
		assertThat(this.stats.failingServices()).isZero();
	}

	@Test
	void errorRateScalesEveryCustomersProfile() {
		JourneySimulator simulator = simulator(0.0);

		assertThat(stepFailureRate(simulator, "Stark Industries", "Purchase", 3000)).isCloseTo(0.05, within(0.015));
		assertThat(stepFailureRate(simulator, "Umbrella Corporation", "Verification", 3000)).isCloseTo(0.525,
				within(0.03));

		set("errorRate", 0.06);
		assertThat(stepFailureRate(simulator, "Umbrella Corporation", "Purchase", 3000)).isCloseTo(0.175,
				within(0.025));
		assertThat(stepFailureRate(simulator, "Somebody Else", "Purchase", 3000)).isCloseTo(0.06, within(0.015));
	}

	@Test
	void canaryJourneysFailMoreOftenAndOnlyRunWhileTheCanaryGetsTraffic() {
		JourneySimulator simulator = simulator(0.0);
		assertThat(stepFailureRate(simulator, "Initech", "Purchase", 3000)).isCloseTo(0.08, within(0.02));

		set("canaryTrafficPercent", 100);
		List<JourneyResult> canary = run(simulator, "Initech", "Purchase", 3000);

		assertThat(canary).allMatch(JourneyResult::canary);
		assertThat(failureRate(canary)).isCloseTo(0.23, within(0.03));

		set("canaryTrafficPercent", 0);
		assertThat(run(simulator, "Initech", "Purchase", 200)).noneMatch(JourneyResult::canary);
	}

	@Test
	void aFifthOfStepsAreSlowOnlyWhileSlowResponsesAreOn() {
		JourneySimulator simulator = simulator(0.01);
		set("errorInjectionEnabled", false);

		set("slowResponsesEnabled", true);
		List<Long> slow = durations(run(simulator, "Acme Corp", "Purchase", 500));
		set("slowResponsesEnabled", false);
		List<Long> fast = durations(run(simulator, "Acme Corp", "Purchase", 500));

		// Base latency is 1 to 3 ms at this scale; slow steps take 10 to 30 ms more.
		assertThat(slow.stream().filter((ms) -> ms >= 10).count() / 500.0).isCloseTo(0.2, within(0.05));
		assertThat(fast).allMatch((ms) -> ms <= 3);
	}

	@Test
	void failingServiceOpensItsBreakerOnlyWhileTheCircuitBreakerIsOn() {
		JourneySimulator simulator = simulator(0.0);
		set("errorRate", 1.0);

		List<JourneyResult> without = run(simulator, "Umbrella Corporation", "Checkout", 50);
		assertThat(steps(without)).noneMatch((step) -> "circuit_breaker_open".equals(step.errorType()));

		set("circuitBreakerEnabled", true);
		List<JourneyResult.StepResult> with = steps(run(simulator, "Umbrella Corporation", "Checkout", 50));

		List<JourneyResult.StepResult> failingFast = with.stream()
			.filter((step) -> "circuit_breaker_open".equals(step.errorType()))
			.toList();
		assertThat(failingFast).hasSizeGreaterThan(40)
			.allSatisfy((step) -> {
				assertThat(step.httpStatus()).isEqualTo(503);
				assertThat(step.durationMs()).isZero();
			});
	}

	@Test
	void journeysOverTheRateAreRefusedOnlyWhileRateLimitingIsOn() {
		JourneySimulator simulator = simulator(0.0);
		assertThat(refusedOf(simulator, 30)).isZero();

		set("rateLimitingEnabled", true);
		assertThat(refusedOf(simulator, 30)).isGreaterThanOrEqualTo(20);
		assertThat(this.stats.window().rateLimited()).isGreaterThanOrEqualTo(20);

		set("rateLimitingEnabled", false);
		assertThat(refusedOf(simulator, 30)).isZero();
	}

	@Test
	void repeatedReadOnlyStepsAreServedFromTheCacheOnlyWhileItIsOn() {
		JourneySimulator simulator = simulator(0.0);
		set("cacheEnabled", true);
		set("errorInjectionEnabled", false);
		run(simulator, "Globex Corporation", "Discovery", 1);
		set("errorInjectionEnabled", true);
		set("errorRate", 0.48);

		List<JourneyResult.StepResult> cached = steps(run(simulator, "Globex Corporation", "Discovery", 200));
		assertThat(cached).allSatisfy((step) -> {
			assertThat(step.cached()).isTrue();
			assertThat(step.status()).isEqualTo("completed");
		});
		assertThat(steps(run(simulator, "Globex Corporation", "Purchase", 200))).noneMatch(
				JourneyResult.StepResult::cached);

		set("cacheEnabled", false);
		List<JourneyResult.StepResult> uncached = steps(run(simulator, "Globex Corporation", "Discovery", 200));
		assertThat(uncached).noneMatch(JourneyResult.StepResult::cached);
		assertThat(uncached).anyMatch((step) -> "failed".equals(step.status()));
	}

	@Test
	void failedStepEndsTheJourneyAndTheStatsAndMetricsCountIt() {
		JourneySimulator simulator = simulator(0.0);
		set("errorRate", 1.0);

		JourneyResult journey = simulator.run(new Journey("j-1", "c-1", "Umbrella Corporation",
				List.of(new Journey.Step("Verification", "VerifyService"), new Journey.Step("Purchase", null))))
			.join();

		assertThat(journey.journeyId()).isEqualTo("j-1");
		assertThat(journey.status()).isEqualTo("failed");
		assertThat(journey.steps().get(0).errorType()).isNotNull();
		assertThat(journey.steps().get(1).status()).isEqualTo("skipped");
		assertThat(journey.completedSteps()).isZero();
		run(simulator, "Stark Industries", "Purchase", 99);
		JourneyStats.Window window = this.stats.window();
		assertThat(window.journeys()).isEqualTo(100);
		assertThat(window.customers()).containsKeys("Umbrella Corporation", "Stark Industries");
		assertThat(window.customers().get("Stark Industries").journeys()).isEqualTo(99);
		assertThat(this.meters.get("bizobs.journey.journeys").tag("customer", "Stark Industries").counters())
			.isNotEmpty();
		assertThat(this.meters.get("bizobs.journey.steps").tag("step", "Purchase").counters()).isNotEmpty();
	}

	private JourneySimulator simulator(double latencyScale) {
		return simulator(latencyScale, 10_000);
	}

	private JourneySimulator simulator(double latencyScale, int maxWindowJourneys) {
		SimulatorProperties properties = new SimulatorProperties(latencyScale, Duration.ofMillis(100),
				Duration.ofMillis(300), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(3), 0.15, 5,
				new SimulatorProperties.CircuitBreaker(50, 5, Duration.ofMinutes(1)), Duration.ofMinutes(1),
				Duration.ofMinutes(10), 0.05, 42L, new SimulatorProperties.Continuous(false, Duration.ofSeconds(30), 5,
						List.of()), maxWindowJourneys, 100, 5);
		StepNames names = new StepNames();
		this.stats = new JourneyStats(Clock.systemUTC(), properties, this.meters, names);
		return new JourneySimulator(this.flags, properties, this.stats, this.meters, this.scheduler.background(),
				names);
	}

	private void set(String flag, Object value) {
		this.flags.change(FlagChangeCommand.of(Map.of(flag, value), ChangeType.FEATURE_FLAG_TOGGLE, OPERATOR));
	}

	private static List<JourneyResult> run(JourneySimulator simulator, String customer, String step, int times) {
		List<JourneyResult> journeys = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			journeys.add(simulator.run(new Journey(null, null, customer, List.of(new Journey.Step(step, null)))).join());
		}
		return journeys;
	}

	private static double stepFailureRate(JourneySimulator simulator, String customer, String step, int times) {
		return failureRate(run(simulator, customer, step, times));
	}

	private static double failureRate(List<JourneyResult> journeys) {
		return journeys.stream().filter(JourneyResult::failed).count() / (double) journeys.size();
	}

	private static List<JourneyResult.StepResult> steps(List<JourneyResult> journeys) {
		return journeys.stream().flatMap((journey) -> journey.steps().stream()).toList();
	}

	private static List<Long> durations(List<JourneyResult> journeys) {
		return steps(journeys).stream().map(JourneyResult.StepResult::durationMs).toList();
	}

	private static int refusedOf(JourneySimulator simulator, int journeys) {
		int refused = 0;
		for (int i = 0; i < journeys; i++) {
			try {
				simulator.run(new Journey(null, null, "Acme Corp", List.of(new Journey.Step("Purchase", null)))).join();
			}
			catch (JourneyRateLimitedException ex) {
				refused++;
			}
		}
		return refused;
	}

}
