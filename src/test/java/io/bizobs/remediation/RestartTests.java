package io.bizobs.remediation;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.EventOutbox;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopped and started service serves what it had answered before it stopped, and carries on
 * with the loop guard's counts, pending reverts and running ramps.
 */
class RestartTests {

	@TempDir
	Path dataDir;

	@Test
	void restartedServiceKeepsFlagsVersionAndAudit() {
		Map<?, ?> before;
		try (ConfigurableApplicationContext first = start()) {
			RestClient client = client(first);
			change(client, "{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"reason\":\"Before restart\","
					+ "\"problemId\":\"P-1\",\"triggeredBy\":\"dynatrace_workflow\"}");
			change(client, "{\"flag\":\"errorRate\",\"value\":0.02}");
			before = client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class);
		}

		try (ConfigurableApplicationContext second = start()) {
			RestClient client = client(second);
			Map<?, ?> after = client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class);
			assertThat(after.get("flags")).isEqualTo(before.get("flags"));
			assertThat(after.get("version")).isEqualTo(2);
			assertThat(((Map<?, ?>) after.get("flags")).get("errorInjectionEnabled")).isEqualTo(false);
			Map<?, ?> audit = client.get().uri("/api/remediation/audit").retrieve().body(Map.class);
			assertThat(audit.get("count")).isEqualTo(2);
			Map<?, ?> detail = client.get()
				.uri("/api/remediation/feature-flags/errorInjectionEnabled")
				.retrieve()
				.body(Map.class);
			assertThat(((Map<?, ?>) detail.get("lastChange")).get("triggeredBy")).isEqualTo("dynatrace_workflow");
		}
	}

	@Test
	void guardCountsPendingRevertsAndRunningRampsSurviveARestart() {
		try (ConfigurableApplicationContext first = start()) {
			RestClient client = client(first);
			for (int i = 1; i <= 6; i++) {
				change(client, "{\"flag\":\"circuitBreakerEnabled\",\"value\":" + (i % 2 == 1) + "}");
			}
			change(client, "{\"flag\":\"cacheEnabled\",\"value\":false,\"revertAfterSeconds\":3}");
			client.post()
				.uri("/api/remediation/error-rate")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"targetRate\":0.02,\"duration\":3}")
				.retrieve()
				.toBodilessEntity();
		}

		try (ConfigurableApplicationContext second = start()) {
			RestClient client = client(second);
			HttpStatusCode status = client.post()
				.uri("/api/remediation/feature-flag")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"flag\":\"circuitBreakerEnabled\",\"value\":true}")
				.exchange((request, response) -> response.getStatusCode());
			assertThat(status.value()).as("seventh change after the restart").isEqualTo(429);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Map<?, ?> flags = (Map<?, ?>) client.get()
					.uri("/api/remediation/feature-flags")
					.retrieve()
					.body(Map.class)
					.get("flags");
				assertThat(flags.get("cacheEnabled")).as("reverted").isEqualTo(true);
				assertThat(flags.get("errorRate")).as("ramp completed").isEqualTo(0.02);
			});
		}
	}

	@Test
	void eventAProcessWasSendingWhenItDiedIsSentAfterARestartWithoutWaitingForItsClaim() {
		TestDatabase database = TestDatabase.open(this.dataDir);
		String auditId = UUID.randomUUID().toString();
		database.flags()
			.underLock(0, (stored) -> database.flags()
				.write(ChangeRecord.at(Instant.now())
					.by(new ChangeRecord.Who("before the crash", null, "manual", "anonymous", null))
					.values("feature_flag_toggle")
					.event(EventStatus.PENDING)
					.flags(List.of(new ChangeRecord.FlagChangeRow(auditId, "cacheEnabled", "true", "false")))));
		assertThat(database.outbox().claimNext("sender-of-the-dead-process", Duration.ofHours(1), Instant.now()))
			.isInstanceOf(EventOutbox.Next.Claimed.class);

		try (DynatraceDouble dynatrace = new DynatraceDouble();
				ConfigurableApplicationContext restarted = new SpringApplicationBuilder(RemediationApplication.class)
					.run("--server.port=0", "--remediation.data-dir=" + this.dataDir, "--spring.main.banner-mode=off",
							"--remediation.dynatrace.environment=" + dynatrace.url(),
							"--remediation.dynatrace.api-token=dt0c01.TEST")) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(dynatrace.properties()).singleElement()
					.satisfies((properties) -> assertThat(properties.get("change.id")).isEqualTo(auditId)));
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(RemediationApplication.class).run("--server.port=0",
				"--remediation.data-dir=" + this.dataDir, "--spring.main.banner-mode=off");
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.create("http://localhost:" + port);
	}

	private static void change(RestClient client, String json) {
		client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.retrieve()
			.toBodilessEntity();
	}

}
