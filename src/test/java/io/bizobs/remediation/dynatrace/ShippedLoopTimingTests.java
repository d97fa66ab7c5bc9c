package io.bizobs.remediation.dynatrace;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.TestClock;
import io.bizobs.remediation.dynatrace.DynatraceWorkflows.Workflow;
import io.bizobs.remediation.remediation.LeaderLoops;
import io.bizobs.remediation.simulator.Journey;
import io.bizobs.remediation.simulator.JourneySimulator;
import io.bizobs.remediation.simulator.JourneyStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped loop on the detector's real timing: Davis raises the problem when 3 of the last 5
 * one-minute samples of a customer's error rate are over 5 % and closes it after 5 clean ones in a
 * row; the shipped workflows run as the Workflows engine would; the service's clock moves a
 * sample at a time. A runbook step's guard that gave up before the detector could close the
 * problem would call a working fix useless and stall the loop on the next step.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class ShippedLoopTimingTests {

	private static final String CUSTOMER = "Umbrella Corporation";

	private static final String KEY = "self-healing-workflow-key";

	private static final String OPERATOR_KEY = "operator-key";

	private static final Duration SAMPLE = Duration.ofSeconds(15);

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	static final TestClock testClock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

	@TestBean
	Clock clock;

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	JourneySimulator simulator;

	@Autowired
	JourneyStats stats;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.dynatrace.metrics.enabled", () -> "false");
		registry.add("remediation.guards.sample-interval", () -> "1h");
		registry.add("remediation.simulator.latency-scale", () -> "0");
		registry.add("remediation.simulator.seed", () -> "5");
		DynatraceWorkflows.writeKey(registry, 0, "self-healing-workflow", KEY, "errorInjectionEnabled",
				"slowResponsesEnabled", "circuitBreakerEnabled", "cacheEnabled");
		DynatraceWorkflows.writeKey(registry, 1, "operator", OPERATOR_KEY, "errorInjectionEnabled", "errorRate");
	}

	static Clock clock() {
		return testClock;
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void aWorkingFirstStepIsVerifiedBeforeItsDeadlineAndItsFaultComesBackOnlyAfterTheProblemStayedClosed() {
		RestClient client = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeader("Authorization", "Api-Token " + OPERATOR_KEY)
			.build();
		client.post()
			.uri("/api/remediation/feature-flags/bulk")
			.header("Content-Type", "application/json")
			.body("{\"flags\":{\"errorInjectionEnabled\":true,\"errorRate\":0.3}}")
			.retrieve()
			.toBodilessEntity();
		Detector detector = Detector.shipped(Detector.ERROR_RATE);
		Map<String, Object> problem = detector.problem("ACTIVE");
		String eventId = (String) problem.get("event.id");
		String displayId = (String) problem.get("display_id");
		List<Double> samples = new ArrayList<>();
		Integer opened = null;
		Integer closed = null;
		Integer restored = null;
		Map<String, Object> restore = null;

		for (int minute = 1; minute <= 40 && restored == null; minute++) {
			for (int quarter = 0; quarter < 4; quarter++) {
				testClock.advance(SAMPLE);
				journeys(5);
				LeaderLoops.sample(this.context);
				if (opened != null && closed == null && runOf(client, displayId) != null
						&& runOf(client, displayId).get("ladder") != null
						&& firstStep(client, displayId).get("appliedAt") != null) {
					assertThat(flag(client, "errorInjectionEnabled")).as("minute %d: a fault back on while the problem "
							+ "is open", minute).isEqualTo(false);
				}
			}
			samples.add(this.stats.figures(CUSTOMER).errorRate());
			if (opened == null && detector.raises(samples)) {
				opened = minute;
				dynatrace.problem(eventId, displayId, null);
				assertThat(run(problem)).singleElement().satisfies((response) -> assertThat(response.statusCode())
					.as(response.body())
					.isEqualTo(202));
				LeaderLoops.sample(this.context);
			}
			else if (opened != null && closed == null && detector.dealerts(samples)) {
				closed = minute;
				dynatrace.problem(eventId, displayId, testClock.instant());
				HttpResponse<String> response = run(detector.problem("CLOSED")).get(0);
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				restore = JsonMapper.builder().build().readValue(response.body(), Map.class);
			}
			else if (closed != null && runOf(client, displayId).get("restoredAt") != null) {
				restored = minute;
			}
		}

		assertThat(opened).as("error rates %s", samples).isNotNull();
		assertThat(closed).as("error rates %s", samples).isNotNull();
		Map<String, Object> run = runOf(client, displayId);
		assertThat(run).containsEntry("state", "VERIFIED").containsEntry("step", 1);
		List<Map<String, Object>> ladder = (List<Map<String, Object>>) run.get("ladder");
		assertThat(ladder.get(0)).containsEntry("verdict", "VERIFIED");
		assertThat(ladder.get(1).get("appliedAt")).as("the second step, never needed").isNull();
		assertThat((List<String>) restore.get("held")).as("the restore workflow leaves what the run holds")
			.contains("errorInjectionEnabled");
		assertThat(restored).as("restored after the problem stayed closed ten minutes").isNotNull();
		assertThat(restored - closed).isBetween(10, 11);
		assertThat(flag(client, "errorInjectionEnabled")).isEqualTo(true);
	}

	private List<HttpResponse<String>> run(Map<String, Object> problem) {
		List<Workflow> started = DynatraceWorkflows.startedBy(problem);
		assertThat(started).hasSize(1);
		return started.get(0)
			.runHttpTasks(problem, URI.create("http://127.0.0.1:" + this.port),
					Map.of(DynatraceWorkflows.CREDENTIAL, KEY));
	}

	private void journeys(int count) {
		for (int i = 0; i < count; i++) {
			this.simulator.run(new Journey(null, null, CUSTOMER, Journey.DEFAULT_STEPS)).join();
		}
	}

	private static Map<String, Object> runOf(RestClient client, String problemId) {
		List<Map<String, Object>> runs = (List<Map<String, Object>>) client.get()
			.uri("/api/remediation/runs?problemId=" + problemId)
			.retrieve()
			.body(Map.class)
			.get("runs");
		return runs.isEmpty() ? null : runs.get(0);
	}

	private static Map<String, Object> firstStep(RestClient client, String problemId) {
		return ((List<Map<String, Object>>) runOf(client, problemId).get("ladder")).get(0);
	}

	private static Object flag(RestClient client, String name) {
		return client.get().uri("/api/remediation/feature-flags/" + name).retrieve().body(Map.class).get("value");
	}

}
