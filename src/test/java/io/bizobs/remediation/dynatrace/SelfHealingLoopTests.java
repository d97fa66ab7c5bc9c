package io.bizobs.remediation.dynatrace;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.dynatrace.DynatraceWorkflows.Workflow;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guide's loop, closed through a Dynatrace stand-in: continuous Umbrella journeys fail, the
 * service pushes their error rate, the shipped detector's rule opens a problem on it, the
 * problem starts the shipped workflow, whose HTTP task (with the vault's scoped key) turns error
 * injection off, the pushed error rate falls to zero, and Dynatrace got the change's event.
 * Latencies are scaled down, and the metrics are pushed every second instead of every minute,
 * so it runs in seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SelfHealingLoopTests {

	private static final String ERROR_RATE = "bizobs.journey.customer.error.rate";

	/** As the line protocol escapes it. */
	private static final String CUSTOMER = "customer=Umbrella\\ Corporation";

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.dynatrace.metrics.interval", () -> "1s");
		// A window a little shorter than the interval: each push counts only journeys since the last.
		registry.add("remediation.simulator.stats-window", () -> "900ms");
		registry.add("remediation.simulator.latency-scale", () -> "0.01");
		registry.add("remediation.simulator.continuous.enabled", () -> "true");
		registry.add("remediation.simulator.continuous.interval", () -> "50ms");
		registry.add("remediation.simulator.continuous.batch-size", () -> "5");
		registry.add("remediation.simulator.continuous.customers", () -> "Umbrella Corporation");
		DynatraceWorkflows.writeKey(registry, 0, "self-healing-workflow", "vault-token", "errorInjectionEnabled",
				"slowResponsesEnabled", "circuitBreakerEnabled", "cacheEnabled");
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void problemOnThePushedErrorRateStartsTheWorkflowWhoseChangeBringsItToZero() {
		Detector detector = Detector.shipped(Detector.ERROR_RATE);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> detector.raises(dynatrace.gauge(ERROR_RATE, CUSTOMER)));

		Map<String, Object> problem = detector.problem("ACTIVE");
		List<Workflow> started = DynatraceWorkflows.startedBy(problem);
		assertThat(started).extracting(Workflow::name).containsExactly("error-rate-runbook");
		List<HttpResponse<String>> responses = started.get(0)
			.runHttpTasks(problem, URI.create("http://127.0.0.1:" + this.port),
					Map.of(DynatraceWorkflows.CREDENTIAL, "vault-token"));
		assertThat(responses).singleElement().satisfies((response) -> {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			assertThat(response.body()).contains("\"runbook\":\"error-rate\"");
		});
		// The leader applies the run's first step as soon as the run is stored.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> dynatrace.properties().stream().anyMatch((event) -> "errorInjectionEnabled".equals(event.get("feature.flag"))));
		int pushesAfterTheChange = dynatrace.metricPushes().size();

		// The first push after the change may still count journeys from before it; the second may not.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> dynatrace.metricPushes().size() >= pushesAfterTheChange + 2);
		List<Double> errorRate = dynatrace.gauge(ERROR_RATE, CUSTOMER);
		assertThat(errorRate.get(pushesAfterTheChange + 1)).as("error rates pushed: %s", errorRate).isZero();
		assertThat(dynatrace.properties()).anySatisfy((event) -> assertThat(event)
			.containsEntry("feature.flag", "errorInjectionEnabled")
			.containsEntry("new.value", "false")
			.containsEntry("triggered.by", "dynatrace_workflow")
			.containsEntry("problem.id", (String) problem.get("display_id")));
	}

	@Test
	void onlyTheJourneyMetricsArePushedWithTheEventsToken() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !dynatrace.metricPushes().isEmpty());
		RecordedRequest push = dynatrace.metricPushes().get(0);
		assertThat(push.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.TEST");
		assertThat(push.getBody().utf8().lines()).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).matches("#?bizobs\\.journey\\..*"));
	}

}
