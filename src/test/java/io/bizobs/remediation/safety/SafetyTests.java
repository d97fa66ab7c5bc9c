package io.bizobs.remediation.safety;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The loop guard, auto-revert and dry run over real HTTP, with events at a Dynatrace stand-in.
 * Time moves only when a test moves the service's clock, and a test then runs the reverter's
 * step itself, so no rule is tested by waiting.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SafetyTests {

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	static final TestClock testClock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));

	@TestBean
	Clock clock;

	@Autowired
	AutoReverter reverter;

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
	}

	static Clock clock() {
		return testClock;
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void workflowThatTogglesInALoopIsStoppedAtTheSeventhChange() {
		for (int i = 1; i <= 6; i++) {
			set("circuitBreakerEnabled", i % 2 == 1).expectStatus().isOk();
			// Repeating a value changes nothing and so does not count.
			set("circuitBreakerEnabled", i % 2 == 1).expectStatus().isOk();
		}

		set("circuitBreakerEnabled", true).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			// No time passed since the first of the six changes: the window ends ten minutes after it.
			.valueEquals("Retry-After", "600")
			.expectBody()
			.jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail)
				.startsWith("Flag 'circuitBreakerEnabled' was changed 6 times by anonymous in the last 10 minutes"));

		assertThat(flag("circuitBreakerEnabled").get("value")).isEqualTo(false);
		// A dry run answers what the change would get.
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"circuitBreakerEnabled\",\"value\":true,\"dryRun\":true}")
			.exchange()
			.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "600");
		// Other flags are not held back by one flag's loop.
		set("slowResponsesEnabled", false).expectStatus().isOk();
	}

	@Test
	void temporaryChangeRevertsItselfWithAnAuditEntryAndAnEvent() {
		set("cacheEnabled", true);
		Map<?, ?> change = this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"cacheEnabled\",\"value\":false,\"revertAfterSeconds\":1,\"problemId\":\"P-9\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(change.get("revertAt")).isNotNull();
		assertThat((Map<String, Object>) flag("cacheEnabled").get("pendingRevert")).containsEntry("revertTo", true)
			.containsEntry("auditId", change.get("auditId"));

		testClock.advance(Duration.ofMillis(999));
		revertDue();
		assertThat(flag("cacheEnabled").get("value")).as("a millisecond before its time").isEqualTo(false);
		testClock.advance(Duration.ofMillis(1));
		revertDue();
		assertThat(flag("cacheEnabled").get("value")).isEqualTo(true);

		Map<?, ?> revert = latestAudit("cacheEnabled");
		assertThat(revert.get("remediationType")).isEqualTo("auto_revert");
		assertThat(revert.get("triggeredBy")).isEqualTo("auto_revert");
		assertThat(revert.get("caller")).isEqualTo("auto_revert");
		// What the change it undoes said stays with the revert, so a timeline filtered by problem has both.
		assertThat(revert.get("problemId")).isEqualTo("P-9");
		assertThat((String) revert.get("reason")).startsWith("Auto-revert of the change by anonymous (manual, version ");
		assertThat(flag("cacheEnabled").get("pendingRevert")).isNull();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> dynatrace.properties()
				.stream()
				.anyMatch((event) -> "cacheEnabled".equals(event.get("feature.flag"))
						&& "auto_revert".equals(event.get("triggered.by"))
						&& "auto_revert".equals(event.get("remediation.type"))));
	}

	@Test
	void revertIsDroppedWhenTheFlagIsChangedAgainFirst() {
		set("rateLimitingEnabled", false);
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"rateLimitingEnabled\",\"value\":true,\"revertAfterSeconds\":1}")
			.exchange()
			.expectStatus()
			.isOk();
		set("canaryTrafficPercent", 11);
		set("rateLimitingEnabled", false).expectStatus().isOk();
		set("rateLimitingEnabled", true).expectStatus().isOk();

		testClock.advance(Duration.ofSeconds(2));
		revertDue();
		assertThat(flag("rateLimitingEnabled").get("value")).isEqualTo(true);
		assertThat(latestAudit("rateLimitingEnabled").get("remediationType")).isEqualTo("feature_flag_toggle");
	}

	@Test
	void bulkChangeWithRevertPutsEveryChangedFlagBack() {
		Map<?, ?> change = this.client.post()
			.uri("/api/remediation/feature-flags/bulk")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flags\":{\"canaryTrafficPercent\":0,\"errorInjectionEnabled\":false},\"revertAfterSeconds\":1,"
					+ "\"reason\":\"Canary off while errors climb\",\"problemId\":\"P-10\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(change.get("revertAt")).isNotNull();

		testClock.advance(Duration.ofSeconds(1));
		revertDue();
		assertThat(flag("errorInjectionEnabled").get("value")).isEqualTo(true);
		assertThat(flag("canaryTrafficPercent").get("value")).isNotEqualTo(0);
		Map<?, ?> errors = latestAudit("errorInjectionEnabled");
		Map<?, ?> canary = latestAudit("canaryTrafficPercent");
		assertThat(errors.get("version")).as("one revert, one version").isEqualTo(canary.get("version"));
		for (Map<?, ?> revert : List.of(errors, canary)) {
			assertThat(revert.get("triggeredBy")).isEqualTo("auto_revert");
			assertThat(revert.get("problemId")).isEqualTo("P-10");
			assertThat((String) revert.get("reason")).endsWith(": Canary off while errors climb");
			assertThat(revert.get("details")).as("the revert names the change it undoes")
				.isEqualTo(Map.of("reverted.version", change.get("version").toString()));
		}
		List<?> underTheProblem = (List<?>) this.client.get()
			.uri("/api/remediation/audit?problemId=P-10")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("entries");
		assertThat(underTheProblem.stream().map((entry) -> (Object) ((Map<?, ?>) entry).get("triggeredBy")))
			.containsExactlyInAnyOrder((Object) "manual", "manual", "auto_revert", "auto_revert");
	}

	@Test
	void dryRunOfAGuardedOrRevertingChangeChangesNothing() {
		long version = version();
		boolean current = (Boolean) flag("slowResponsesEnabled").get("value");
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"slowResponsesEnabled\",\"value\":" + !current
					+ ",\"revertAfterSeconds\":60,\"dryRun\":true}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.dryRun").isEqualTo(true)
			.jsonPath("$.revertAt").isNotEmpty();
		assertThat(version()).isEqualTo(version);
		assertThat(flag("slowResponsesEnabled").get("pendingRevert")).isNull();
	}

	@Test
	void revertAfterSecondsMustBePositive() {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"slowResponsesEnabled\",\"value\":true,\"revertAfterSeconds\":0}")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void rampCountsAgainstTheGuardLikeAnyOtherChange() {
		for (double rate : List.of(0.2, 0.3, 0.2, 0.3, 0.2, 0.3)) {
			set("errorRate", rate).expectStatus().isOk();
		}
		this.client.post()
			.uri("/api/remediation/error-rate")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"targetRate\":0.02,\"duration\":60}")
			.exchange()
			.expectStatus()
			.isEqualTo(429);
		this.client.get()
			.uri("/api/remediation/error-rate")
			.exchange()
			.expectBody()
			.jsonPath("$.errorRate").isEqualTo(0.3);
	}

	private RestTestClient.ResponseSpec set(String flag, Object value) {
		return this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"" + flag + "\",\"value\":" + value + "}")
			.exchange();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> flag(String flag) {
		return this.client.get()
			.uri("/api/remediation/feature-flags/" + flag)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private long version() {
		return ((Number) flag("errorRate").get("version")).longValue();
	}

	private Map<?, ?> latestAudit(String flag) {
		Map<?, ?> audit = this.client.get()
			.uri("/api/remediation/audit?limit=1&flag=" + flag)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (Map<?, ?>) ((List<?>) audit.get("entries")).get(0);
	}

	/** What the reverter's loop does when it looks: every revert that is due, one by one. */
	private void revertDue() {
		while (this.reverter.revertDue().isZero()) {
			// One more was due.
		}
	}

}
