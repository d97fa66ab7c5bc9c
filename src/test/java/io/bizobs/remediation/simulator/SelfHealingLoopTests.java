package io.bizobs.remediation.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.bizobs.remediation.DynatraceDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The guide's "Testing the Workflow" scenario, end to end over HTTP: continuous Umbrella
 * traffic drives the error rate over 5 %, the workflow's request turns error injection off, the
 * next window has no errors, and Dynatrace got the event. Latencies are scaled down and the
 * statistics window is 2 s instead of 60 s, so it runs in seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SelfHealingLoopTests {

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.simulator.latency-scale", () -> "0.01");
		registry.add("remediation.simulator.stats-window", () -> "2s");
		registry.add("remediation.simulator.continuous.enabled", () -> "true");
		registry.add("remediation.simulator.continuous.interval", () -> "50ms");
		registry.add("remediation.simulator.continuous.batch-size", () -> "5");
		registry.add("remediation.simulator.continuous.customers", () -> "Umbrella Corporation");
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void workflowsRequestStopsTheErrorsAndDynatraceHearsOfIt() {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Map<?, ?> stats = stats();
			return ((Number) stats.get("journeys")).intValue() >= 20
					&& ((Number) stats.get("errorRate")).doubleValue() > 0.05;
		});

		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"flag": "errorInjectionEnabled", "value": false,
					 "reason": "Automated remediation - High error rate detected",
					 "problemId": "P-24112001", "triggeredBy": "dynatrace_workflow"}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.event.status").isEqualTo("DELIVERED");

		// Once the window holds only journeys after the change, none of them failed.
		await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<?, ?> stats = stats();
			assertThat(((Number) stats.get("journeys")).intValue()).isGreaterThan(10);
			assertThat(stats.get("failedJourneys")).isEqualTo(0);
			assertThat(stats.get("errorRate")).isEqualTo(0.0);
		});
		assertThat(dynatrace.properties()).anySatisfy((event) -> assertThat(event)
			.containsEntry("feature.flag", "errorInjectionEnabled")
			.containsEntry("new.value", "false")
			.containsEntry("triggered.by", "dynatrace_workflow")
			.containsEntry("problem.id", "P-24112001"));
	}

	@Test
	void journeyEndpointTakesTheEarlierAppsBody() {
		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"journeyId": "journey_1", "customerId": "customer_1",
					 "journey": {"companyName": "Stark Industries", "domain": "stark.example",
					             "industryType": "Manufacturing",
					             "steps": [{"stepName": "Discovery"}, {"stepName": "Verification",
					                        "serviceName": "VerificationService"}]}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.success").isEqualTo(true)
			.jsonPath("$.journey.journeyId").isEqualTo("journey_1")
			.jsonPath("$.journey.companyName").isEqualTo("Stark Industries")
			.jsonPath("$.journey.totalSteps").isEqualTo(2)
			.jsonPath("$.journey.steps[1].serviceName").isEqualTo("VerificationService");

		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"customerName\": \"Initech\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.journey.totalSteps").isEqualTo(6)
			.jsonPath("$.journey.steps[0].stepName").isEqualTo("Discovery");

		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"journey\": {\"steps\": []}}")
			.exchange()
			.expectStatus()
			.isBadRequest();

		StringBuilder tooMany = new StringBuilder("{\"companyName\":\"Initech\",\"journey\":{\"steps\":[");
		for (int i = 0; i < 21; i++) {
			tooMany.append((i > 0) ? "," : "").append("{\"stepName\":\"Step ").append(i).append("\"}");
		}
		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body(tooMany.append("]}}").toString())
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private Map<?, ?> stats() {
		Map<?, ?> body = this.client.get()
			.uri("/api/journey-simulation/stats")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (Map<?, ?>) body.get("stats");
	}

}
