package io.bizobs.remediation.simulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.TestClock;
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

/**
 * The guide's scenario replayed as an operator would, twice in a row, over real HTTP with keys
 * configured: the scenario's faults raise the journeys' error rate past 5 %, the fix brings it to
 * 0, a reset puts every flag back, and the audit tells each step. Time moves only when the test
 * moves the service's clock; the test runs the journeys of that time.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "remediation.security.keys[0].name=operator", "remediation.security.keys[0].key=operator-key",
				"remediation.security.keys[0].access=write", "remediation.security.keys[1].name=dashboard",
				"remediation.security.keys[1].key=read-key", "remediation.simulator.latency-scale=0",
				"remediation.simulator.seed=5" })
@AutoConfigureRestTestClient
class ScenarioTests {

	static final TestClock testClock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

	@TestBean
	Clock clock;

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@Autowired
	JourneySimulator simulator;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
	}

	static Clock clock() {
		return testClock;
	}

	@Test
	void theHighErrorRateScenarioReplaysTwiceFromFaultToFixToResetWithTheAuditTellingEachStep() {
		for (int replay = 1; replay <= 2; replay++) {
			Map<String, Object> played = play("high-error-rate", "{\"reason\":\"Replay " + replay + "\"}").getResponseBody();
			assertThat(played).containsEntry("scenario", "high-error-rate")
				.containsEntry("reason", "Scenario high-error-rate: Replay " + replay);
			assertThat((String) played.get("expect")).contains("errorRate above 0.05");
			journeysForAMinute();
			assertThat(errorRate()).as("replay %d: the fault shows", replay).isGreaterThan(0.05);

			change("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"reason\":\"Fix " + replay + "\"}");
			journeysForAMinute();
			assertThat(errorRate()).as("replay %d: the fix heals", replay).isZero();

			Map<String, Object> reset = play("reset", "{}").getResponseBody();
			List<Map<String, Object>> changes = list(reset.get("changes"));
			assertThat(changes).extracting((change) -> change.get("flag"))
				.containsExactly("errorInjectionEnabled", "slowResponsesEnabled", "circuitBreakerEnabled",
						"rateLimitingEnabled", "cacheEnabled", "canaryTrafficPercent", "errorRate");
			assertThat(flags()).containsEntry("errorInjectionEnabled", true).containsEntry("canaryTrafficPercent", 50);
			long version = ((Number) reset.get("version")).longValue();
			assertThat(audit()).filteredOn((entry) -> ((Number) entry.get("version")).longValue() == version)
				.isNotEmpty()
				.allSatisfy((entry) -> assertThat(entry).containsEntry("triggeredBy", "scenario")
					.containsEntry("caller", "operator")
					.containsEntry("reason", "Scenario reset: Every flag back to its default, as one audited change"));
		}
		List<String> story = audit().stream()
			.filter((entry) -> "errorInjectionEnabled".equals(entry.get("flag")))
			.map((entry) -> entry.get("reason") + " → " + entry.get("newValue"))
			.toList();
		assertThat(story).as("newest first").startsWith(
				"Scenario reset: Every flag back to its default, as one audited change → true", "Fix 2 → false");
	}

	@Test
	void aScenarioNeedsAKeyAllowedItsFlagsAndAnUnknownOneListsThoseThereAre() {
		assertThat(this.client.post().uri("/api/journey-simulation/scenarios/reset").exchange().returnResult(String.class)
			.getStatus()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.client.post()
			.uri("/api/journey-simulation/scenarios/reset")
			.header("X-API-Key", "read-key")
			.exchange()
			.returnResult(String.class)
			.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
		EntityExchangeResult<Map> unknown = play("black-friday", "{}");
		assertThat(unknown.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(unknown.getResponseBody().get("availableScenarios"))
			.isEqualTo(List.of("high-error-rate", "slow-journeys", "reset"));

		Map<?, ?> listed = this.client.get().uri("/api/journey-simulation/scenarios").exchange()
			.expectBody(Map.class).returnResult().getResponseBody();
		assertThat(list(listed.get("scenarios"))).extracting((scenario) -> scenario.get("name"))
			.containsExactly("high-error-rate", "slow-journeys", "reset");

		long before = ((Number) this.client.get().uri("/api/remediation/feature-flags").exchange()
			.expectBody(Map.class).returnResult().getResponseBody().get("version")).longValue();
		Map<String, Object> dryRun = play("slow-journeys", "{\"dryRun\":true}").getResponseBody();
		assertThat(dryRun).containsEntry("dryRun", true);
		assertThat(((Number) this.client.get().uri("/api/remediation/feature-flags").exchange()
			.expectBody(Map.class).returnResult().getResponseBody().get("version")).longValue())
			.as("a dry run changes nothing").isEqualTo(before);
	}

	/** A minute of journeys, a batch every five seconds, as continuous journeys would run them. */
	private void journeysForAMinute() {
		for (int i = 0; i < 13; i++) {
			testClock.advance(Duration.ofSeconds(5));
			for (String customer : List.of("Umbrella Corporation", "Globex Corporation", "Acme Corp")) {
				this.simulator.run(new Journey(null, null, customer, Journey.DEFAULT_STEPS)).join();
			}
		}
	}

	private double errorRate() {
		Map<?, ?> stats = this.client.get().uri("/api/journey-simulation/stats").exchange().expectBody(Map.class)
			.returnResult().getResponseBody();
		return ((Number) ((Map<?, ?>) stats.get("stats")).get("errorRate")).doubleValue();
	}

	private EntityExchangeResult<Map> play(String scenario, String body) {
		return this.client.post()
			.uri("/api/journey-simulation/scenarios/" + scenario)
			.header("X-API-Key", "operator-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	private void change(String body) {
		assertThat(this.client.post()
			.uri("/api/remediation/feature-flag")
			.header("X-API-Key", "operator-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.returnResult(String.class)
			.getStatus()).isEqualTo(HttpStatus.OK);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> flags() {
		return (Map<String, Object>) this.client.get().uri("/api/remediation/feature-flags").exchange()
			.expectBody(Map.class).returnResult().getResponseBody().get("flags");
	}

	private List<Map<String, Object>> audit() {
		return list(this.client.get().uri("/api/remediation/audit?limit=1000").exchange().expectBody(Map.class)
			.returnResult().getResponseBody().get("entries"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

}
