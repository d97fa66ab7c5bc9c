package io.bizobs.remediation.safety;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guide's gradual rollback of {@code errorRate} over real HTTP. Time moves only when a test
 * moves the service's clock, and a test then runs the ramp's step itself, as its loop would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ErrorRateRampTests {

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	static final TestClock testClock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));

	@TestBean
	Clock clock;

	@Autowired
	ErrorRateRamp ramps;

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.guard.max-changes", () -> "1000");
	}

	static Clock clock() {
		return testClock;
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void rampMovesErrorRateDownStepByStepAndAnnouncesOnlyItsStartAndEnd() {
		setErrorRate(0.12);
		int eventsBefore = dynatrace.properties().size();

		Map<String, Object> started = startRamp("{\"targetRate\":0.02,\"duration\":3,\"reason\":\"Gradual rollback\","
				+ "\"problemId\":\"P-77\",\"triggeredBy\":\"dynatrace_workflow\"}");
		Map<?, ?> ramp = (Map<?, ?>) started.get("ramp");
		assertThat(ramp.get("status")).isEqualTo("RUNNING");
		assertThat(ramp.get("from")).isEqualTo(0.12);
		assertThat(ramp.get("to")).isEqualTo(0.02);
		assertThat(ramp.get("durationSeconds")).isEqualTo(3);

		List<Double> seen = new ArrayList<>();
		for (int step = 1; step <= 6; step++) {
			testClock.advance(Duration.ofMillis(500));
			this.ramps.step();
			seen.add(((Number) errorRate().get("errorRate")).doubleValue());
			if (step == 3) {
				// A step is the ramp's, not the person's who started it.
				Map<?, ?> flag = this.client.get().uri("/api/remediation/feature-flags/errorRate").exchange()
					.expectBody(Map.class).returnResult().getResponseBody();
				assertThat(flag.toString()).contains("triggeredBy=error_rate_ramp").doesNotContain("triggeredBy=dynatrace_workflow");
			}
		}

		assertThat(seen).containsExactly(0.1033, 0.0867, 0.07, 0.0533, 0.0367, 0.02);
		assertThat(((Map<?, ?>) errorRate().get("ramp")).get("status")).isEqualTo("COMPLETED");
		await().atMost(Duration.ofSeconds(5)).until(() -> dynatrace.properties().size() >= eventsBefore + 2);
		List<Map<String, String>> events = dynatrace.properties().subList(eventsBefore, dynatrace.properties().size());
		assertThat(events).extracting((event) -> event.get("ramp.phase")).containsExactly("started", "completed");
		assertThat(events).allSatisfy((event) -> {
			assertThat(event).containsEntry("remediation.type", "error_rate_ramp")
				.containsEntry("feature.flag", "errorRate")
				.containsEntry("problem.id", "P-77")
				.containsEntry("ramp.id", (String) ramp.get("id"));
		});
		assertThat(events.get(1)).containsEntry("new.value", "0.02").containsEntry("previous.value", "0.0367");
	}

	@Test
	void newRampReplacesTheRunningOne() {
		setErrorRate(0.5);
		Map<?, ?> first = (Map<?, ?>) startRamp("{\"targetRate\":0.0,\"duration\":600}").get("ramp");

		Map<?, ?> second = (Map<?, ?>) startRamp("{\"targetRate\":0.9,\"duration\":600}").get("ramp");

		assertThat(errorRate().get("ramp")).isEqualTo(second);
		assertThat(second.get("status")).isEqualTo("RUNNING");
		Map<?, ?> audit = audit();
		assertThat((List<?>) audit.get("entries")).anySatisfy((entry) -> {
			Map<?, ?> details = (Map<?, ?>) ((Map<?, ?>) entry).get("details");
			assertThat(details.get("ramp.id")).isEqualTo(first.get("id"));
			assertThat(details.get("ramp.phase")).isEqualTo("replaced");
		});
		this.client.delete().uri("/api/remediation/error-rate").exchange().expectStatus().isOk();
	}

	@Test
	void stoppedRampLeavesTheRateWhereItWas() {
		setErrorRate(0.6);
		startRamp("{\"targetRate\":0.0,\"duration\":20}");
		testClock.advance(Duration.ofSeconds(5));
		this.ramps.step();
		assertThat(errorRate().get("errorRate")).isEqualTo(0.45);

		Map<?, ?> stopped = this.client.delete()
			.uri("/api/remediation/error-rate")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();

		double stoppedAt = ((Number) stopped.get("errorRate")).doubleValue();
		assertThat(((Map<?, ?>) stopped.get("ramp")).get("status")).isEqualTo("STOPPED");
		testClock.advance(Duration.ofSeconds(5));
		this.ramps.step();
		assertThat(errorRate().get("errorRate")).isEqualTo(stoppedAt);
		this.client.delete().uri("/api/remediation/error-rate").exchange().expectStatus().isNotFound();
	}

	@Test
	void changingErrorRateByHandEndsTheRamp() {
		setErrorRate(0.4);
		startRamp("{\"targetRate\":0.0,\"duration\":60}");

		setErrorRate(0.3);

		assertThat(((Map<?, ?>) errorRate().get("ramp")).get("status")).isEqualTo("SUPERSEDED");
		testClock.advance(Duration.ofSeconds(10));
		this.ramps.step();
		assertThat(errorRate().get("errorRate")).isEqualTo(0.3);
	}

	@Test
	void invalidRampsAreRefused() {
		for (String body : List.of("{\"targetRate\":1.5,\"duration\":60}", "{\"targetRate\":0.1}",
				"{\"targetRate\":0.1,\"duration\":86401}", "{\"targetRate\":\"0.1\",\"duration\":60}",
				"{\"targetRate\":0.1,\"duration\":1.5}")) {
			this.client.post()
				.uri("/api/remediation/error-rate")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.ok").isEqualTo(false);
		}
	}

	@Test
	void rampOfZeroSecondsSetsTheTargetAtOnce() {
		setErrorRate(0.2);
		Map<?, ?> ramp = (Map<?, ?>) startRamp("{\"targetRate\":0.05,\"duration\":0}").get("ramp");
		assertThat(ramp.get("status")).isEqualTo("COMPLETED");
		assertThat(errorRate().get("errorRate")).isEqualTo(0.05);
	}

	private void setErrorRate(double rate) {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"errorRate\",\"value\":" + rate + "}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> startRamp(String body) {
		return this.client.post()
			.uri("/api/remediation/error-rate")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> errorRate() {
		return this.client.get()
			.uri("/api/remediation/error-rate")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private Map<?, ?> audit() {
		return this.client.get()
			.uri("/api/remediation/audit?flag=errorRate")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

}
