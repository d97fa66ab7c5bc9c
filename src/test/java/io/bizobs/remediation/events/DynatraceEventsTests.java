package io.bizobs.remediation.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service over HTTP, with a real HTTP server standing in for Dynatrace.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@SuppressWarnings("unchecked")
class DynatraceEventsTests {

	static final MockWebServer dynatrace = new MockWebServer();

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void dynatrace(DynamicPropertyRegistry registry) {
		try {
			dynatrace.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", () -> dynatrace.url("/").toString());
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.SECRET-TOKEN");
		registry.add("remediation.dynatrace.entity-selector", () -> "type(PROCESS_GROUP_INSTANCE)");
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@BeforeEach
	void forgetEarlierTestsRequests() throws InterruptedException {
		while (dynatrace.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
			// Each test reads only the requests its own changes caused.
		}
	}

	@Test
	void guidesQuickTestReachesDynatraceAsACustomConfigurationEvent() throws Exception {
		dynatrace.enqueue(accepted("corr-quick"));

		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"flag": "errorInjectionEnabled", "value": false, "reason": "Manual test - disabling errors",
					 "problemId": "P-12345", "triggeredBy": "manual",
					 "dtEnvironment": "http://127.0.0.1:1", "dtToken": "dt0c01.CALLERS-TOKEN"}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.eventSent").isEqualTo(true)
			.jsonPath("$.event.status").isEqualTo("DELIVERED")
			.jsonPath("$.event.correlationId").isEqualTo("corr-quick");

		RecordedRequest request = dynatrace.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request.getTarget()).isEqualTo("/api/v2/events/ingest");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.SECRET-TOKEN");
		Map<?, ?> event = this.json.readValue(request.getBody().utf8(), Map.class);
		assertThat(event.get("eventType")).isEqualTo("CUSTOM_CONFIGURATION");
		assertThat(event.get("title")).isEqualTo("Feature Flag Changed: errorInjectionEnabled");
		assertThat(event.get("entitySelector")).isEqualTo("type(PROCESS_GROUP_INSTANCE)");
		assertThat((Map<String, Object>) event.get("properties")).containsEntry("feature.flag", "errorInjectionEnabled")
			.containsEntry("previous.value", "true")
			.containsEntry("new.value", "false")
			.containsEntry("change.reason", "Manual test - disabling errors")
			.containsEntry("triggered.by", "manual")
			.containsEntry("problem.id", "P-12345")
			.containsEntry("remediation.type", "feature_flag_toggle");

		this.client.get()
			.uri("/api/remediation/audit?flag=errorInjectionEnabled&limit=1")
			.exchange()
			.expectBody()
			.jsonPath("$.entries[0].event.status").isEqualTo("DELIVERED")
			.jsonPath("$.entries[0].event.correlationId").isEqualTo("corr-quick");
	}

	@Test
	void bulkChangeSendsOneEventPerChangedFlag() throws Exception {
		dynatrace.enqueue(accepted("corr-a"));
		dynatrace.enqueue(accepted("corr-b"));

		this.client.post()
			.uri("/api/remediation/feature-flags/bulk")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flags\":{\"canaryTrafficPercent\":10,\"errorRate\":0.05},\"triggeredBy\":\"dynatrace_workflow\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.events.length()").isEqualTo(2)
			.jsonPath("$.events[0].status").isEqualTo("DELIVERED")
			.jsonPath("$.events[1].correlationId").isEqualTo("corr-b");

		Map<?, ?> first = this.json.readValue(dynatrace.takeRequest(5, TimeUnit.SECONDS).getBody().utf8(), Map.class);
		assertThat((Map<String, Object>) first.get("properties")).containsEntry("new.value", "10")
			.containsEntry("remediation.type", "bulk_feature_flag_toggle");
	}

	@Test
	void refusedEventIsReportedAsFailedWithDynatracesReason() {
		dynatrace.enqueue(new MockResponse.Builder().code(401)
			.body("{\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}")
			.build());

		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"rateLimitingEnabled\",\"value\":true}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.changed").isEqualTo(true)
			.jsonPath("$.eventSent").isEqualTo(false)
			.jsonPath("$.event.status").isEqualTo("FAILED")
			.jsonPath("$.event.detail").isEqualTo("401 Unauthorized: Token Authentication failed");
	}

	@Test
	void testEventEndpointAnswersWhatDynatraceSaid() throws Exception {
		dynatrace.enqueue(accepted("corr-test"));

		this.client.post()
			.uri("/api/remediation/events/test")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.correlationId").isEqualTo("corr-test")
			.jsonPath("$.endpoint").value(String.class, (endpoint) -> assertThat(endpoint).contains("Api-Token")
				.doesNotContain("SECRET"));
		Map<?, ?> event = this.json.readValue(dynatrace.takeRequest(5, TimeUnit.SECONDS).getBody().utf8(), Map.class);
		assertThat(event.get("eventType")).isEqualTo("CUSTOM_INFO");

		dynatrace.enqueue(new MockResponse.Builder().code(403)
			.body("{\"error\":{\"code\":403,\"message\":\"Token is missing required scope\"}}")
			.build());
		this.client.post()
			.uri("/api/remediation/events/test")
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.detail")
			.isEqualTo("Dynatrace did not accept the test event: 403 Forbidden: Token is missing required scope");
	}

	@Test
	void healthStaysUpAndShowsTheEventsEndpointWithoutTheToken() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.dynatraceEvents.details.enabled").isEqualTo(true)
			.jsonPath("$.components.dynatraceEvents.details.endpoint")
			.value(String.class, (endpoint) -> assertThat(endpoint).doesNotContain("SECRET"));
	}

	private static MockResponse accepted(String correlationId) {
		return new MockResponse.Builder().code(201)
			.body("{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"" + correlationId
					+ "\",\"status\":\"OK\"}]}")
			.build();
	}

}
