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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runbooks' runs over real HTTP, with a Dynatrace stand-in whose problems stay open or close as a
 * test says, and journeys run by the simulator. Time moves only when a test moves the service's
 * clock; a test then runs the journeys of that time and takes the leader's sample of the guards and
 * the runs itself, as the leader's loops would every {@code sample-interval}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class RunbookTests {

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	static final TestClock testClock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

	private static final Duration SAMPLE = Duration.ofSeconds(15);

	/** The shipped steps' guard gives its verdict by then. */
	private static final Duration WITHIN = Duration.ofSeconds(600);

	@TestBean
	Clock clock;

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@Autowired
	GuardWatcher watcher;

	@Autowired
	RunDriver driver;

	@Autowired
	JourneySimulator simulator;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.dynatrace.metrics.enabled", () -> "false");
		registry.add("remediation.guard.max-changes", () -> "1000");
		registry.add("remediation.runs.max-starts-per-minute", () -> "5");
		registry.add("remediation.runs.max-open", () -> "8");
		// The tests take every sample themselves.
		registry.add("remediation.guards.sample-interval", () -> "1h");
		registry.add("remediation.simulator.latency-scale", () -> "0");
		registry.add("remediation.simulator.seed", () -> "11");
		// A ladder of three, configured as an operator would.
		String three = "remediation.runbooks.three-remedies.";
		registry.add(three + "description", () -> "Errors: three things to try");
		registry.add(three + "steps[0].name", () -> "error-injection-off");
		registry.add(three + "steps[0].flags.errorInjectionEnabled", () -> "false");
		registry.add(three + "steps[1].name", () -> "circuit-breaker-on");
		registry.add(three + "steps[1].flags.circuitBreakerEnabled", () -> "true");
		registry.add(three + "steps[2].name", () -> "cache-on");
		registry.add(three + "steps[2].flags.cacheEnabled", () -> "true");
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
				+ "\"circuitBreakerEnabled\":false,\"errorRate\":0.12,\"cacheEnabled\":false,\"canaryTrafficPercent\":0}}");
		testClock.advance(Duration.ofMinutes(2));
		journeys(20);
	}

	/** No run of one test moves on in the next. */
	@AfterEach
	void stopWhatStillRuns() {
		for (Map<String, Object> run : runs("?state=RUNNING")) {
			post("/api/remediation/runs/" + run.get("id") + "/stop", "{}");
		}
		for (Map<String, Object> run : runs("?state=VERIFIED")) {
			if (run.get("restoredAt") == null) {
				post("/api/remediation/runs/" + run.get("id") + "/stop", "{}");
			}
		}
		this.watcher.sampleAll();
	}

	@Test
	void theRunbooksListTheShippedLaddersAndTheConfiguredOne() {
		Map<String, Object> body = get("/api/remediation/runbooks");
		List<Map<String, Object>> runbooks = list(body.get("runbooks"));
		assertThat(runbooks).extracting((runbook) -> runbook.get("name"))
			.containsExactly("error-rate", "services-failing", "slow-journeys", "three-remedies");
		assertThat(list(runbooks.get(0).get("steps"))).extracting((step) -> step.get("name"))
			.containsExactly("error-injection-off", "defensive-mode");
		assertThat(map(list(runbooks.get(0).get("steps")).get(0).get("flags"))).containsEntry("errorInjectionEnabled",
				false);
		assertThat(map(list(runbooks.get(0).get("steps")).get(0).get("guard"))).containsEntry("withinSeconds", 600)
			.containsEntry("errorRateBelow", 0.05);
		assertThat(list(runbooks.get(2).get("steps"))).extracting((step) -> step.get("name"))
			.containsExactly("slow-responses-off", "cache-on");
		assertThat(map(list(runbooks.get(3).get("steps")).get(2).get("flags"))).containsEntry("cacheEnabled", true);
	}

	@Test
	void aProblemOpenThroughStepOneThatClosesDuringStepTwoIsVerifiedThereAndNoThirdStepIsTaken() {
		dynatrace.problem("-201_1764756000000V2", "P-201", null);
		EntityExchangeResult<Map> started = start("three-remedies", "P-201");
		assertThat(started.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
		String run = (String) map(started.getResponseBody().get("run")).get("id");
		assertThat(started.getResponseHeaders().getLocation()).hasToString("/api/remediation/runs/" + run);

		this.driver.driveAll();
		assertThat(step(run, 0).get("appliedAt")).isNotNull();
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);

		// The journeys heal, but the problem stays open: no effect at the deadline, and the next step.
		sampleFor(WITHIN, () -> assertThat(flag("errorInjectionEnabled")).as("never back on while open").isEqualTo(false));
		assertThat(step(run, 0)).containsEntry("verdict", "NO_EFFECT");
		assertThat(step(run, 1).get("appliedAt")).isNotNull();
		assertThat(flag("circuitBreakerEnabled")).isEqualTo(true);
		assertThat(run(run)).containsEntry("state", "RUNNING").containsEntry("step", 2);

		sampleFor(Duration.ofMinutes(2), () -> {
		});
		dynatrace.problem("-201_1764756000000V2", "P-201", testClock.instant());
		sampleFor(Duration.ofMinutes(1), () -> {
		});

		Map<String, Object> verified = run(run);
		assertThat(verified).containsEntry("state", "VERIFIED").containsEntry("step", 2);
		assertThat((String) verified.get("outcome")).startsWith("step 2 of 3 (circuit-breaker-on) healed");
		assertThat(step(run, 1)).containsEntry("verdict", "VERIFIED");
		assertThat(step(run, 2).get("appliedAt")).as("no third step").isNull();
		assertThat(flag("cacheEnabled")).isEqualTo(false);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(commentsOn("-201_1764756000000V2")).hasSize(2));
		assertThat(commentsOn("-201_1764756000000V2")).extracting((comment) -> comment.get("message"))
			.satisfiesExactly((first) -> assertThat(first).startsWith("BizObs Remediation: No effect:"),
					(second) -> assertThat(second).startsWith("BizObs Remediation: Verified:"));
		Map<String, String> properties = eventProperties("Remediation verified: circuitBreakerEnabled");
		assertThat(properties).containsEntry("runbook.name", "three-remedies")
			.containsEntry("runbook.run.id", run)
			.containsEntry("runbook.step", "2 circuit-breaker-on");

		// Once the problem has stayed closed ten minutes, the run puts back what it changed, and only then.
		sampleFor(Duration.ofMinutes(8), () -> assertThat(flag("circuitBreakerEnabled")).isEqualTo(true));
		sampleFor(Duration.ofMinutes(2), () -> {
		});
		Map<String, Object> restored = run(run);
		assertThat(restored.get("restoredAt")).isNotNull();
		assertThat((String) restored.get("restored"))
			.startsWith("restored errorInjectionEnabled=true, circuitBreakerEnabled=false");
		assertThat(flag("errorInjectionEnabled")).isEqualTo(true);
		assertThat(flag("circuitBreakerEnabled")).isEqualTo(false);
		sampleFor(Duration.ofMinutes(1), () -> {
		});
		assertThat(commentsOn("-201_1764756000000V2")).hasSize(2);
	}

	@Test
	void aProblemThatNeverClosesTriesEveryStepThenEscalatesWithOneAlertAndOneComment() {
		dynatrace.problem("-202_1764756000000V2", "P-202", null);
		String run = (String) map(start("error-rate", "P-202").getResponseBody().get("run")).get("id");
		this.driver.driveAll();

		sampleFor(WITHIN.multipliedBy(2).plus(SAMPLE.multipliedBy(2)), () -> assertThat(flag("errorInjectionEnabled"))
			.as("never back on while open")
			.isEqualTo(false));

		Map<String, Object> escalated = run(run);
		assertThat(escalated).containsEntry("state", "ESCALATED");
		assertThat((String) escalated.get("outcome"))
			.startsWith("Runbook error-rate ran out of remedies for problem P-202")
			.contains("that was the last step")
			.contains("1. error-injection-off (errorInjectionEnabled=false): NO_EFFECT")
			.contains("2. defensive-mode (")
			.contains("People are needed.");
		String title = "Remediation escalated: runbook error-rate for problem P-202";
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(dynatrace.events()).filteredOn((event) -> title.equals(event.get("title")))
				.singleElement()
				.satisfies((event) -> assertThat(event).containsEntry("eventType", "CUSTOM_ALERT")));
		assertThat(eventProperties(title)).containsEntry("runbook.state", "ESCALATED").containsEntry("runbook.run.id", run);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(commentsOn("-202_1764756000000V2"))
				.filteredOn((comment) -> comment.get("message").contains("ran out of remedies"))
				.singleElement()
				.satisfies((comment) -> assertThat(comment.get("message")).contains("Steps tried: 1. error-injection-off")));

		sampleFor(Duration.ofMinutes(2), () -> {
		});
		assertThat(dynatrace.events()).filteredOn((event) -> title.equals(event.get("title"))).hasSize(1);
		assertThat(commentsOn("-202_1764756000000V2")).hasSize(3);
		assertThat(audit("?triggeredBy=runbook")).filteredOn((entry) -> "runbook_escalation".equals(entry.get("remediationType")))
			.singleElement()
			.satisfies((entry) -> assertThat(entry).containsEntry("problemId", "P-202"));
	}

	@Test
	void aWorkflowThatRetriesItsStartGetsTheSameRun() {
		EntityExchangeResult<Map> first = start("error-rate", "P-203");
		EntityExchangeResult<Map> second = start("error-rate", "P-203");
		EntityExchangeResult<Map> third = start("error-rate", "P-203");
		assertThat(first.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(second.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(third.getStatus()).isEqualTo(HttpStatus.OK);
		Object id = map(first.getResponseBody().get("run")).get("id");
		assertThat(map(third.getResponseBody().get("run"))).containsEntry("id", id);
		assertThat(third.getResponseBody()).containsEntry("started", false);
		assertThat(third.getResponseHeaders().getLocation()).hasToString("/api/remediation/runs/" + id);
		assertThat(runs("?problemId=P-203")).singleElement().satisfies((run) -> assertThat(run).containsEntry("id", id));

		this.driver.driveAll();
		this.driver.driveAll();
		assertThat(audit("?flag=errorInjectionEnabled&limit=5"))
			.filteredOn((entry) -> "P-203".equals(entry.get("problemId")))
			.hasSize(1);
	}

	@Test
	void aStoppedRunEndsWithoutTouchingTheFlagsAndItsGuardStopsWatching() {
		dynatrace.problem("-204_1764756000000V2", "P-204", null);
		String run = (String) map(start("error-rate", "P-204").getResponseBody().get("run")).get("id");
		this.driver.driveAll();
		String guard = (String) step(run, 0).get("guardId");

		EntityExchangeResult<Map> stopped = post("/api/remediation/runs/" + run + "/stop",
				"{\"reason\":\"Taking over by hand\"}");
		assertThat(stopped.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(map(stopped.getResponseBody().get("run"))).containsEntry("state", "STOPPED")
			.containsEntry("outcome", "Stopped by anonymous: Taking over by hand");
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		assertThat(guardState(guard)).containsEntry("verdict", "STOPPED").containsEntry("state", "ENDED");
		// The stop is in the audit under the run's problem, with who stopped it and why, and told to Dynatrace.
		assertThat(audit("?problemId=P-204")).filteredOn((entry) -> "runbook_stop".equals(entry.get("remediationType")))
			.singleElement()
			.satisfies((entry) -> {
				assertThat(entry).containsEntry("caller", "anonymous")
					.containsEntry("reason", "Taking over by hand")
					.containsEntry("previousValue", entry.get("newValue"));
				assertThat(map(entry.get("details"))).containsEntry("runbook.state", "STOPPED")
					.containsEntry("runbook.run.id", run);
			});
		String title = "Remediation stopped: runbook error-rate for problem P-204";
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(dynatrace.events()).filteredOn((event) -> title.equals(event.get("title")))
				.singleElement()
				.satisfies((event) -> assertThat(event).containsEntry("eventType", "CUSTOM_INFO")));

		sampleFor(WITHIN.plus(SAMPLE), () -> {
		});
		assertThat(run(run)).containsEntry("state", "STOPPED");
		assertThat(step(run, 1).get("appliedAt")).isNull();
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		assertThat(post("/api/remediation/runs/" + run + "/stop", "{}").getStatus()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(audit("?problemId=P-204")).as("a refused stop records nothing")
			.filteredOn((entry) -> "runbook_stop".equals(entry.get("remediationType")))
			.hasSize(1);
	}

	@Test
	void aRestoreLeavesWhatARunHoldsAndSaysSo() {
		dynatrace.problem("-205_1764756000000V2", "P-205", null);
		start("error-rate", "P-205");
		this.driver.driveAll();

		Map<String, Object> restore = post("/api/remediation/feature-flags/bulk",
				"{\"flags\":{\"errorInjectionEnabled\":true,\"slowResponsesEnabled\":true,\"cacheEnabled\":true},"
						+ "\"skipHeld\":true,\"triggeredBy\":\"dynatrace_workflow_recovery\"}")
			.getResponseBody();
		assertThat(list(restore.get("changes"))).extracting((change) -> change.get("flag"))
			.containsExactly("cacheEnabled");
		assertThat(restore.get("held")).isEqualTo(List.of("errorInjectionEnabled", "slowResponsesEnabled"));
		assertThat(flag("errorInjectionEnabled")).isEqualTo(false);
		assertThat(flag("slowResponsesEnabled")).isEqualTo(false);
		assertThat(flag("cacheEnabled")).isEqualTo(true);
	}

	@Test
	void aSecondProblemWhoseFirstStepIsInPlaceSharesThatChangesVerdictRatherThanJumpToTheNextStep() {
		// One detector, one problem per customer: two runs of the same runbook a moment apart.
		dynatrace.problem("-206_1764756000000V2", "P-206", null);
		dynatrace.problem("-207_1764756000000V2", "P-207", null);
		String first = (String) map(start("error-rate", "P-206").getResponseBody().get("run")).get("id");
		this.driver.driveAll();
		String second = (String) map(start("error-rate", "P-207").getResponseBody().get("run")).get("id");
		this.driver.driveAll();

		assertThat(step(second, 0)).containsEntry("guardId", step(first, 0).get("guardId"));
		assertThat((String) step(second, 0).get("note")).contains("the guard of the change that set them judges this step too");
		assertThat(step(second, 1).get("appliedAt")).as("no defensive mode while step 1 is judged").isNull();
		assertThat(flag("circuitBreakerEnabled")).isEqualTo(false);

		sampleFor(Duration.ofMinutes(2), () -> assertThat(flag("circuitBreakerEnabled")).isEqualTo(false));
		dynatrace.problem("-206_1764756000000V2", "P-206", testClock.instant());
		dynatrace.problem("-207_1764756000000V2", "P-207", testClock.instant());
		sampleFor(Duration.ofMinutes(1), () -> {
		});

		assertThat(run(first)).containsEntry("state", "VERIFIED");
		assertThat(run(second)).containsEntry("state", "VERIFIED");
		assertThat(step(second, 1).get("appliedAt")).isNull();
		assertThat(flag("circuitBreakerEnabled")).as("defensive mode never needed").isEqualTo(false);
	}

	@Test
	void stoppingOneOfTwoRunsThatShareAGuardLeavesTheOtherWaitingForItsVerdict() {
		dynatrace.problem("-208_1764756000000V2", "P-208", null);
		dynatrace.problem("-209_1764756000000V2", "P-209", null);
		dynatrace.problem("-210_1764756000000V2", "P-210", null);
		String owner = (String) map(start("error-rate", "P-208").getResponseBody().get("run")).get("id");
		this.driver.driveAll();
		String guard = (String) step(owner, 0).get("guardId");
		String joiner = (String) map(start("error-rate", "P-209").getResponseBody().get("run")).get("id");
		this.driver.driveAll();
		assertThat(step(joiner, 0)).containsEntry("guardId", guard);

		// The run that shares the guard is stopped: the guard is not its to end.
		post("/api/remediation/runs/" + joiner + "/stop", "{\"reason\":\"Handled by hand\"}");
		this.driver.driveAll();
		assertThat(guardState(guard)).containsEntry("state", "WATCHING");
		assertThat(run(owner)).containsEntry("state", "RUNNING").containsEntry("step", 1);

		// The run whose change it is is stopped while another still waits for the verdict: the guard goes on judging.
		String waiting = (String) map(start("error-rate", "P-210").getResponseBody().get("run")).get("id");
		this.driver.driveAll();
		post("/api/remediation/runs/" + owner + "/stop", "{}");
		this.driver.driveAll();
		assertThat(guardState(guard)).containsEntry("state", "WATCHING");
		assertThat(run(waiting)).containsEntry("state", "RUNNING").containsEntry("step", 1);
		assertThat(step(waiting, 1).get("appliedAt")).isNull();
		assertThat(flag("circuitBreakerEnabled")).isEqualTo(false);
	}

	@Test
	void startsPastTheLimitsAreRefusedWith429WhileARetriedStartStillFindsItsRun() {
		for (int i = 1; i <= 5; i++) {
			assertThat(start("error-rate", "P-30" + i).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
		}
		EntityExchangeResult<Map> sixth = start("error-rate", "P-306");
		assertThat(sixth.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(sixth.getResponseHeaders().getFirst("Retry-After")).isEqualTo("60");
		assertThat((String) sixth.getResponseBody().get("detail"))
			.isEqualTo("anonymous started 5 runs in the last minute, as many as remediation.runs.max-starts-per-minute allows");
		assertThat(post("/api/remediation/runbooks/error-rate/runs", "{\"problemId\":\"P-306\",\"dryRun\":true}")
			.getStatus()).as("a dry run meets the refusal a start would").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(start("error-rate", "P-301").getStatus()).as("a retry finds its run").isEqualTo(HttpStatus.OK);
		assertThat(runs("?problemId=P-306")).isEmpty();

		testClock.advance(Duration.ofMinutes(1));
		for (int i = 6; i <= 8; i++) {
			assertThat(start("error-rate", "P-30" + i).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
		}
		EntityExchangeResult<Map> ninth = start("error-rate", "P-309");
		assertThat(ninth.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat((String) ninth.getResponseBody().get("detail")).startsWith("8 runs are open");
		assertThat(runs("?open=true&limit=1000")).hasSize(8);
		post("/api/remediation/runs/" + runs("?problemId=P-301").get(0).get("id") + "/stop", "{}");
		assertThat(start("error-rate", "P-309").getStatus()).as("one ended, one may start").isEqualTo(HttpStatus.ACCEPTED);
	}

	@Test
	void badStartsAreRefusedClearlyAndADryRunStartsNothing() {
		assertThat(post("/api/remediation/runbooks/error-rate/runs", "{\"reason\":\"no problem\"}").getStatus())
			.isEqualTo(HttpStatus.BAD_REQUEST);
		EntityExchangeResult<Map> unknown = post("/api/remediation/runbooks/errors/runs", "{\"problemId\":\"P-206\"}");
		assertThat(unknown.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat((List<Object>) unknown.getResponseBody().get("availableRunbooks")).contains("error-rate");
		assertThat(post("/api/remediation/runbooks/error-rate/runs", "{\"problemId\":\"P-206\",\"steps\":1}").getStatus())
			.as("a field the start does not know")
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(get("/api/remediation/runs?state=DONE").get("status")).isEqualTo(400);
		this.client.get().uri("/api/remediation/runs/nope").exchange().expectStatus().isNotFound();

		EntityExchangeResult<Map> dryRun = post("/api/remediation/runbooks/error-rate/runs",
				"{\"problemId\":\"P-206\",\"dryRun\":true}");
		assertThat(dryRun.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(dryRun.getResponseBody()).containsEntry("dryRun", true)
			.containsEntry("firstStepChanges", List.of("errorInjectionEnabled"));
		assertThat(map(dryRun.getResponseBody().get("run"))).containsEntry("state", "DRY_RUN").doesNotContainKey("id");
		assertThat(runs("?problemId=P-206")).isEmpty();
		assertThat(flag("errorInjectionEnabled")).isEqualTo(true);
	}

	/** Lets time pass in samples, running the journeys and the leader's loops, checking after each. */
	private void sampleFor(Duration duration, Runnable check) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plus(SAMPLE)) {
			testClock.advance(SAMPLE);
			journeys(5);
			this.watcher.sampleAll();
			this.driver.driveAll();
			check.run();
		}
	}

	private void journeys(int count) {
		for (String customer : List.of("Umbrella Corporation", "Globex Corporation", "Stark Industries")) {
			for (int i = 0; i < count; i++) {
				this.simulator.run(new Journey(null, null, customer, Journey.DEFAULT_STEPS)).join();
			}
		}
	}

	private EntityExchangeResult<Map> start(String runbook, String problemId) {
		return post("/api/remediation/runbooks/" + runbook + "/runs", "{\"problemId\":\"" + problemId
				+ "\",\"reason\":\"BizObs journey error rate above 5 %\",\"triggeredBy\":\"dynatrace_workflow\"}");
	}

	private EntityExchangeResult<Map> post(String path, String body) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	private void bulk(String body) {
		assertThat(post("/api/remediation/feature-flags/bulk", body).getStatus()).isEqualTo(HttpStatus.OK);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> get(String path) {
		return this.client.get().uri(path).exchange().expectBody(Map.class).returnResult().getResponseBody();
	}

	private Map<String, Object> run(String id) {
		return map(get("/api/remediation/runs/" + id).get("run"));
	}

	private Map<String, Object> step(String run, int index) {
		return list(run(run).get("ladder")).get(index);
	}

	private List<Map<String, Object>> runs(String query) {
		return list(get("/api/remediation/runs" + query).get("runs"));
	}

	private Map<String, Object> guardState(String id) {
		return map(get("/api/remediation/guards/" + id).get("guard"));
	}

	private List<Map<String, Object>> audit(String query) {
		return list(get("/api/remediation/audit" + query).get("entries"));
	}

	private Object flag(String name) {
		return get("/api/remediation/feature-flags/" + name).get("value");
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

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

}
