package io.bizobs.remediation.security;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Who may call, with keys configured: a full key, a workflow's write key limited to one flag
 * (given as its SHA-256), and a read key.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ApiKeyTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		keys(registry);
		registry.add("remediation.guard.max-changes", () -> "1000");
	}

	/** A full key, a workflow's write key limited to errorInjectionEnabled (given as its SHA-256), and a read key. */
	static void keys(DynamicPropertyRegistry registry) {
		registry.add("remediation.security.api-key", () -> "full-access-key");
		registry.add("remediation.security.keys[0].name", () -> "self-healing-workflow");
		registry.add("remediation.security.keys[0].key-sha256",
				() -> HexFormat.of().formatHex(ApiKeys.sha256("workflow-key")));
		registry.add("remediation.security.keys[0].access", () -> "write");
		registry.add("remediation.security.keys[0].flags[0]", () -> "errorInjectionEnabled");
		registry.add("remediation.security.keys[1].name", () -> "dashboard");
		registry.add("remediation.security.keys[1].key", () -> "read-key");
	}

	@Test
	void changeWithoutAKeyIs401() {
		change(null, null, "errorInjectionEnabled").expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Api-Token")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.ok").isEqualTo(false);
	}

	@Test
	void changeWithAWrongKeyIs401() {
		change("Authorization", "Api-Token not-a-key", "errorInjectionEnabled").expectStatus().isUnauthorized();
	}

	@Test
	void readKeyMayReadButNotChange() {
		change("X-API-Key", "read-key", "errorInjectionEnabled").expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail").isEqualTo("Key 'dashboard' may read but not change flags");
		this.client.get()
			.uri("/api/remediation/feature-flags")
			.header("X-API-Key", "read-key")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void polledReadsRefuseAWrongKeyAndCarryTheSameHeaders() {
		this.client.get()
			.uri("/api/remediation/feature-flags")
			.header("X-API-Key", "not-a-key")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.post()
			.uri("/ofrep/v1/evaluate/flags")
			.header("Authorization", "Bearer not-a-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals("X-Frame-Options", "DENY");
	}

	@Test
	void readsStayOpenWithoutAKey() {
		this.client.get().uri("/api/remediation/feature-flags").exchange().expectStatus().isOk();
		this.client.get().uri("/api/remediation/audit").exchange().expectStatus().isOk();
	}

	@Test
	void workflowKeyChangesItsOwnFlagAndTheAuditNamesIt() {
		change("Authorization", "Bearer full-access-key", "errorInjectionEnabled", true).expectStatus().isOk();
		change("Authorization", "Bearer workflow-key", "errorInjectionEnabled", false).expectStatus().isOk();

		Map<?, ?> audit = this.client.get()
			.uri("/api/remediation/audit?flag=errorInjectionEnabled&limit=1")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(audit.toString()).contains("caller=self-healing-workflow").doesNotContain("workflow-key");
	}

	@Test
	void workflowKeyMayNotChangeOtherFlags() {
		change("X-API-Key", "workflow-key", "cacheEnabled").expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("Key 'self-healing-workflow' may not change cacheEnabled; it may change errorInjectionEnabled");
		this.client.post()
			.uri("/api/remediation/feature-flags/bulk")
			.header("X-API-Key", "workflow-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flags\":{\"errorInjectionEnabled\":false,\"slowResponsesEnabled\":false}}")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.post()
			.uri("/api/remediation/error-rate")
			.header("X-API-Key", "workflow-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"targetRate\":0.01,\"duration\":60}")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.delete()
			.uri("/api/remediation/error-rate")
			.header("X-API-Key", "workflow-key")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("Key 'self-healing-workflow' may not change errorRate; it may change errorInjectionEnabled");
	}

	@Test
	void healthShowsAnonymousCallersTheStatusOnly() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components").doesNotExist();
		this.client.get()
			.uri("/actuator/health")
			.header("X-API-Key", "read-key")
			.exchange()
			.expectBody()
			.jsonPath("$.components.diskSpace.details").exists();
	}

	@Test
	void actuatorEndpointsThatAreNotOpenNeedAKey() {
		this.client.get().uri("/actuator").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/actuator").header("X-API-Key", "read-key").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
	}

	@Test
	void pathsNothingServesNeedAKeyRatherThanTellingWhatExists() {
		this.client.get().uri("/admin").exchange().expectStatus().isUnauthorized();
		this.client.put()
			.uri("/api/remediation/feature-flag")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.put()
			.uri("/api/remediation/feature-flag")
			.header("X-API-Key", "full-access-key")
			.exchange()
			.expectStatus()
			.isEqualTo(405);
	}

	@Test
	void fullKeyChangesAnyFlag() {
		change("Authorization", "Api-Token full-access-key", "cacheEnabled").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true);
	}

	private RestTestClient.ResponseSpec change(String header, String value, String flag) {
		return change(header, value, flag, true);
	}

	private RestTestClient.ResponseSpec change(String header, String value, String flag, boolean flagValue) {
		RestTestClient.RequestBodySpec request = this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON);
		if (header != null) {
			request.header(header, value);
		}
		return request.body("{\"flag\":\"" + flag + "\",\"value\":" + flagValue + "}").exchange();
	}

}
