package io.bizobs.remediation.remediation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.TestClock;
import io.bizobs.remediation.simulator.Journey;
import io.bizobs.remediation.simulator.JourneySimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarded changes over real HTTP, with a Dynatrace stand-in that serves the Problems API and takes
 * events and comments, and journeys run by the simulator. Time moves only when a test moves the
 * service's clock; a test then runs the journeys of that time and takes the watcher's sample
 * itself, as the leader's loop would every {@code sample-interval}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class GuardTests {

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	static final TestClock testClock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

	private static final Duration SAMPLE = Duration.ofSeconds(15);

	@TestBean
	Clock clock;

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@Autowired
	GuardWatcher watcher;

	@Autowired
	JourneySimulator simulator;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.dynatrace.metrics.enabled", () -> "false");
		registry.add("remediation.guard.max-changes", () -> "1000");
		// The tests take every sample themselves.
		registry.add("remediation.guards.sample-interval", () -> "1h");
		registry.add("remediation.simulator.latency-scale", () -> "0");
		registry.add("remediation.simulator.seed", () -> "7");
	}

	static Clock clock() {
		return testClock;
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@BeforeEach
	void faultsOnAndAMinuteOfFailingJourneys() {
		bulk("{\"flags\":{\"errorInjectionEnabled\":true,\"slowResponsesEnabled\":false,\"rateLimitingEnabled\":false,"
				+ "\"errorRate\":0.12,\"cacheEnabled\":false,\"canaryTrafficPercent\":0}}");
		this.watcher.sampleAll();
		testClock.advance(Duration.ofMinutes(2));
		journeys(40);
	}

	@Test
	void aFixIsVerifiedOnceItsProblemHasClosedAndTheErrorRateStaysLowAndTheFlagStays() {
		dynatrace.problem("-101_1764756000000V2", "P-101", null);
		Map<String, Object> change = change("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"problemId\":\"P-101\","
				+ "\"reason\":\"Error rate above 5%\",\"triggeredBy\":\"dynatrace_workflow\","
				+ "\"guard\":{\"errorRateBelow\":0.05,\"customer\":\"Umbrella Corporation\"}}");
		Map<String, Object> guard = map(change.get("guard"));
		assertThat(guard.get("state")).isEqualTo("WATCHING");
		assertThat(map(guard.get("expectation"))).containsEntry("problemClosed", true).containsEntry("samples", 3);
		assertThat((Double) map(guard.get("baseline")).get("errorRate")).isGreaterThan(0.2);

		// Settled, the journeys heal at once, but the problem is still open: no verdict.
		sampleAfter(Duration.ofSeconds(60));
		sampleAfter(SAMPLE);
		sampleAfter(SAMPLE);
		sampleAfter(SAMPLE);
		assertThat(guard(id(guard)).get("state")).isEqualTo("WATCHING");

		dynatrace.problem("-101_1764756000000V2", "P-101", testClock.instant());
		sampleAfter(SAMPLE);
		sampleAfter(SAMPLE);
		assertThat(guard(id(guard)).get("verdict")).isNull();
		sampleAfter(SAMPLE);

		Map<String, Object> verdict = guard(id(guard));
		assertThat(verdict.get("state")).isEqualTo("ENDED");
		assertThat(verdict.get("verdict")).isEqualTo("VERIFIED");
		assertThat(verdict.get("action")).isEqualTo("kept");
		assertThat((String) map(verdict.get("evidence")).get("summary")).startsWith("Verified: the change of "
				+ "errorInjectionEnabled (true → false)").contains("problem CLOSED");
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		awaitEvent("Remediation verified: errorInjectionEnabled");
		Map<String, String> properties = eventProperties("Remediation verified: errorInjectionEnabled");
		assertThat(properties).containsEntry("remediation.verdict", "VERIFIED")
			.containsEntry("problem.id", "P-101")
			.containsEntry("problem.status", "CLOSED")
			.containsKeys("baseline.error.rate", "observed.error.rate", "guard.id");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(commentsOn("-101_1764756000000V2")).hasSize(1));
		assertThat(commentsOn("-101_1764756000000V2").get(0).get("message")).startsWith("BizObs Remediation: Verified:");
		assertThat(this.client.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
			.getResponseBody()).containsPattern("bizobs_guards_verdicts_total\\{verdict=\"VERIFIED\"} [1-9]");
		// Once: more samples give no second verdict.
		sampleAfter(SAMPLE);
		assertThat(commentsOn("-101_1764756000000V2")).hasSize(1);
		assertThat(audit("?triggeredBy=guard").stream()
			.filter((entry) -> entry.get("details") != null && id(guard).equals(map(entry.get("details")).get("guard.id"))))
			.hasSize(1);
	}

	@Test
	void aFixThatHasNotHealedByTheDeadlineHasNoEffectAndItsRevertNeverTurnsAFaultBackOnWhileTheProblemIsOpen() {
		dynatrace.problem("-102_1764756000000V2", "P-102", null);
		Map<String, Object> change = change("{\"flags\":{\"errorInjectionEnabled\":false,\"canaryTrafficPercent\":10},"
				+ "\"problemId\":\"-102_1764756000000V2\",\"reason\":\"Services failing\","
				+ "\"guard\":{\"withinSeconds\":300,\"onNoEffect\":\"REVERT\"}}", "/api/remediation/feature-flags/bulk");
		String guard = id(map(change.get("guard")));

		for (Duration passed = Duration.ZERO; passed.compareTo(Duration.ofSeconds(300)) < 0; passed = passed.plus(SAMPLE)) {
			sampleAfter(SAMPLE);
		}

		Map<String, Object> verdict = guard(guard);
		assertThat(verdict.get("verdict")).isEqualTo("NO_EFFECT");
		assertThat((String) verdict.get("action")).contains("reverted canaryTrafficPercent")
			.contains("kept errorInjectionEnabled: reverting would turn a fault back on while the problem is open");
		assertThat(flag("canaryTrafficPercent")).isEqualTo(0);
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		assertThat(audit("?flag=canaryTrafficPercent&triggeredBy=guard&limit=2"))
			.anySatisfy((entry) -> assertThat(entry).containsEntry("remediationType", "guard_revert")
				.containsEntry("problemId", "-102_1764756000000V2")
				.containsEntry("newValue", 0));
		awaitEvent("Remediation had no effect: canaryTrafficPercent, errorInjectionEnabled");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(commentsOn("-102_1764756000000V2")).hasSize(1));
	}

	@Test
	void aChangeThatMakesTheJourneysWorseIsRevertedWithinTwoSamples() {
		Map<String, Object> change = change("{\"flag\":\"errorRate\",\"value\":0.6,\"reason\":\"Try a higher base rate\","
				+ "\"guard\":{\"errorRateBelow\":0.05,\"settleSeconds\":0,\"customer\":\"Stark Industries\"}}");
		String guard = id(map(change.get("guard")));

		sampleAfter(SAMPLE);
		assertThat(guard(guard).get("verdict")).isNull();
		sampleAfter(SAMPLE);

		Map<String, Object> verdict = guard(guard);
		assertThat(verdict.get("verdict")).isEqualTo("WORSENED");
		assertThat((String) verdict.get("action")).isEqualTo("reverted errorRate");
		assertThat(flag("errorRate")).isEqualTo(0.12);
		awaitEvent("Remediation made it worse: errorRate");
	}

	@Test
	void whenDynatraceCannotBeReadTheVerdictIsInconclusiveAndTheChangeStays() {
		dynatrace.problem("-103_1764756000000V2", "P-103", null);
		dynatrace.problemsDown(true);
		try {
			Map<String, Object> change = change("{\"flag\":\"cacheEnabled\",\"value\":true,\"problemId\":\"P-103\","
					+ "\"guard\":{\"withinSeconds\":120}}");
			String guard = id(map(change.get("guard")));
			for (int i = 0; i < 9; i++) {
				sampleAfter(SAMPLE);
			}

			Map<String, Object> verdict = guard(guard);
			assertThat(verdict.get("verdict")).isEqualTo("INCONCLUSIVE");
			assertThat((String) map(verdict.get("evidence")).get("summary")).contains("503 Service Unavailable");
			assertThat(flag("cacheEnabled")).isEqualTo(true);
		}
		finally {
			dynatrace.problemsDown(false);
		}
	}

	@Test
	void aPersonsLaterChangeEndsTheGuardAsSupersededAndIsNeverFought() {
		Map<String, Object> change = change("{\"flag\":\"cacheEnabled\",\"value\":true,"
				+ "\"guard\":{\"errorRateBelow\":0.05,\"onNoEffect\":\"REVERT\",\"withinSeconds\":120}}");
		String guard = id(map(change.get("guard")));
		change("{\"flag\":\"cacheEnabled\",\"value\":false,\"reason\":\"Operator knows better\"}");

		for (int i = 0; i < 10; i++) {
			sampleAfter(SAMPLE);
		}

		Map<String, Object> ended = guard(guard);
		assertThat(ended.get("verdict")).isEqualTo("SUPERSEDED");
		assertThat((String) ended.get("action")).startsWith("cacheEnabled was changed by anonymous (manual)");
		assertThat(flag("cacheEnabled")).isEqualTo(false);
		assertThat(dynatrace.events())
			.noneMatch((event) -> guard.equals(((Map<?, ?>) event.get("properties")).get("guard.id")));
	}

	@Test
	void aVerifiedFixWithRevertAfterIsRevertedOnlyOnceItsProblemHasStayedClosed() {
		dynatrace.problem("-104_1764756000000V2", "P-104", null);
		Map<String, Object> change = change("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"problemId\":\"P-104\","
				+ "\"revertAfterSeconds\":60,\"guard\":{\"settleSeconds\":0,\"stayClosedSeconds\":300}}");
		assertThat(change.get("revertAt")).as("no timed revert beside the guard").isNull();
		String guard = id(map(change.get("guard")));
		dynatrace.problem("-104_1764756000000V2", "P-104", testClock.instant());
		sampleAfter(SAMPLE);
		sampleAfter(SAMPLE);
		sampleAfter(SAMPLE);
		Map<String, Object> holding = guard(guard);
		assertThat(holding.get("verdict")).isEqualTo("VERIFIED");
		assertThat(holding.get("state")).isEqualTo("HOLDING");

		// The revert is due 60 s after the verdict, but the problem has been closed only 105 s by then.
		sampleAfter(Duration.ofSeconds(60));
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		// The problem opens again: the revert waits on.
		dynatrace.problem("-104_1764756000000V2", "P-104", null);
		sampleAfter(Duration.ofMinutes(5));
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		dynatrace.problem("-104_1764756000000V2", "P-104", testClock.instant());
		sampleAfter(Duration.ofMinutes(4));
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		sampleAfter(Duration.ofMinutes(1));

		assertThat(flag("errorInjectionEnabled")).isEqualTo(true);
		Map<String, Object> ended = guard(guard);
		assertThat(ended.get("state")).isEqualTo("ENDED");
		assertThat((String) ended.get("action")).contains("reverted errorInjectionEnabled");
	}

	@Test
	void aDryRunAnswersWhatWouldBeWatchedAndStoresNoGuard() {
		int guards = list("/api/remediation/guards?limit=1000").size();
		Map<String, Object> change = change("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"dryRun\":true,"
				+ "\"guard\":{\"errorRateBelow\":0.05}}");

		Map<String, Object> guard = map(change.get("guard"));
		assertThat(guard.get("state")).isEqualTo("DRY_RUN");
		assertThat(guard.get("id")).isNull();
		assertThat(map(guard.get("expectation"))).containsEntry("errorRateBelow", 0.05)
			.containsEntry("problemClosed", false);
		assertThat(flag("errorInjectionEnabled")).isEqualTo(true);
		assertThat(list("/api/remediation/guards?limit=1000")).hasSize(guards);
	}

	@Test
	void aGuardWithoutEvidenceOrWithAMisspeltFieldIsRefusedAndNothingChanges() {
		expectBadRequest("{\"flag\":\"cacheEnabled\",\"value\":true,\"guard\":{}}", "A guard needs evidence");
		expectBadRequest("{\"flag\":\"cacheEnabled\",\"value\":true,\"guard\":{\"problemClosed\":true}}",
				"needs the change's problemId");
		expectBadRequest("{\"flag\":\"cacheEnabled\",\"value\":true,\"guard\":{\"errorRateBelow\":0.05,\"onWorsend\":\"KEEP\"}}",
				"Unknown field 'onWorsend'");
		expectBadRequest("{\"flag\":\"cacheEnabled\",\"value\":true,\"guard\":{\"errorRateBelow\":0.05,"
				+ "\"customer\":\"Nobody Inc\"}}", "is no customer");
		assertThat(flag("cacheEnabled")).isEqualTo(false);
	}

	private void expectBadRequest(String body, String detail) {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (text) -> assertThat(text).contains(detail));
	}

	/** Lets time pass, runs the journeys of a sample interval, and takes the leader's sample. */
	private void sampleAfter(Duration duration) {
		testClock.advance(duration);
		journeys(20);
		this.watcher.sampleAll();
	}

	private void journeys(int count) {
		for (String customer : List.of("Umbrella Corporation", "Globex Corporation", "Stark Industries")) {
			for (int i = 0; i < count; i++) {
				this.simulator.run(new Journey(null, null, customer, Journey.DEFAULT_STEPS)).join();
			}
		}
	}

	private Map<String, Object> change(String body) {
		return change(body, "/api/remediation/feature-flag");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> change(String body, String path) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private void bulk(String body) {
		change(body, "/api/remediation/feature-flags/bulk");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> guard(String id) {
		return (Map<String, Object>) this.client.get()
			.uri("/api/remediation/guards/" + id)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("guard");
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> list(String path) {
		return (List<Map<String, Object>>) this.client.get()
			.uri(path)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("guards");
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> audit(String query) {
		return (List<Map<String, Object>>) this.client.get()
			.uri("/api/remediation/audit" + query)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("entries");
	}

	@SuppressWarnings("unchecked")
	private Object flag(String name) {
		return this.client.get()
			.uri("/api/remediation/feature-flags/" + name)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("value");
	}

	private static void awaitEvent(String title) {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(dynatrace.events()).anyMatch((event) -> title.equals(event.get("title"))));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> eventProperties(String title) {
		return dynatrace.events()
			.stream()
			.filter((event) -> title.equals(event.get("title")))
			.map((event) -> (Map<String, String>) event.get("properties"))
			.findFirst()
			.orElseThrow();
	}

	private static List<Map<String, String>> commentsOn(String problemId) {
		return dynatrace.comments().stream().filter((comment) -> problemId.equals(comment.get("problemId"))).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private static String id(Map<String, Object> guard) {
		return (String) guard.get("id");
	}

}
