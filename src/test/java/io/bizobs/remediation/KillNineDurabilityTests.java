package io.bizobs.remediation;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Answered 200" means "on disk": the service runs as its own process and is killed with
 * SIGKILL right after its last answer, with no chance to flush or shut down.
 */
class KillNineDurabilityTests {

	@TempDir
	Path dataDir;

	private Process process;

	@AfterEach
	void stop() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	@Test
	void everyAnsweredChangeSurvivesAKill() throws Exception {
		int port = freePort();
		RestClient client = start(port);
		int changes = 30;
		for (int i = 1; i <= changes; i++) {
			client.post()
				.uri("/api/remediation/feature-flag")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"flag\":\"canaryTrafficPercent\",\"value\":" + i + "}")
				.retrieve()
				.toBodilessEntity();
		}
		this.process.destroyForcibly().waitFor();

		client = start(port);
		Map<?, ?> flags = client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class);
		assertThat(flags.get("version")).isEqualTo(changes);
		assertThat(((Map<?, ?>) flags.get("flags")).get("canaryTrafficPercent")).isEqualTo(changes);
		Map<?, ?> audit = client.get().uri("/api/remediation/audit").retrieve().body(Map.class);
		assertThat(audit.get("count")).isEqualTo(changes);
	}

	@Test
	void aGuardWatchingWhenTheProcessIsKilledGivesOneVerdictAfterTheRestart() throws Exception {
		try (DynatraceDouble dynatrace = new DynatraceDouble()) {
			dynatrace.problem("-9_1764756000000V2", "P-9", null);
			int port = freePort();
			RestClient client = start(port, "--remediation.dynatrace.environment=" + dynatrace.url(),
					"--remediation.dynatrace.api-token=dt0c01.TEST", "--remediation.guards.sample-interval=200ms");
			Map<?, ?> change = client.post()
				.uri("/api/remediation/feature-flag")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"problemId\":\"-9_1764756000000V2\","
						+ "\"guard\":{\"settleSeconds\":0,\"samples\":2}}")
				.retrieve()
				.body(Map.class);
			String guard = (String) ((Map<?, ?>) change.get("guard")).get("id");
			RestClient first = client;
			await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) guard(first, guard).get("samples")).intValue() >= 2);
			this.process.destroyForcibly().waitFor();

			dynatrace.problem("-9_1764756000000V2", "P-9", Instant.now());
			client = start(port, "--remediation.dynatrace.environment=" + dynatrace.url(),
					"--remediation.dynatrace.api-token=dt0c01.TEST", "--remediation.guards.sample-interval=200ms");

			RestClient restarted = client;
			await().atMost(Duration.ofSeconds(10)).until(() -> "VERIFIED".equals(guard(restarted, guard).get("verdict")));
			await().atMost(Duration.ofSeconds(10)).until(() -> !dynatrace.comments().isEmpty());
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
			assertThat(dynatrace.comments()).hasSize(1);
			assertThat(dynatrace.properties()).filteredOn((event) -> guard.equals(event.get("guard.id"))).hasSize(1);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void aRunKilledMidStepResumesWhereItWasAfterTheRestart() throws Exception {
		try (DynatraceDouble dynatrace = new DynatraceDouble()) {
			dynatrace.problem("-10_1764756000000V2", "P-10", null);
			int port = freePort();
			String[] args = { "--remediation.dynatrace.environment=" + dynatrace.url(),
					"--remediation.dynatrace.api-token=dt0c01.TEST", "--remediation.guards.sample-interval=200ms",
					"--remediation.runbooks.quick.steps[0].name=error-injection-off",
					"--remediation.runbooks.quick.steps[0].flags.errorInjectionEnabled=false",
					"--remediation.runbooks.quick.steps[0].guard.settle-seconds=0",
					"--remediation.runbooks.quick.steps[0].guard.within-seconds=3",
					"--remediation.runbooks.quick.steps[1].name=circuit-breaker-on",
					"--remediation.runbooks.quick.steps[1].flags.circuitBreakerEnabled=true",
					"--remediation.runbooks.quick.steps[1].guard.settle-seconds=0",
					"--remediation.runbooks.quick.steps[1].guard.samples=1",
					"--remediation.runbooks.quick.steps[1].guard.within-seconds=60" };
			RestClient client = start(port, args);
			String run = (String) ((Map<?, ?>) client.post()
				.uri("/api/remediation/runbooks/quick/runs")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"problemId\":\"P-10\"}")
				.retrieve()
				.body(Map.class)
				.get("run")).get("id");
			RestClient first = client;
			await().atMost(Duration.ofSeconds(10)).until(() -> ladder(first, run).get(0).get("appliedAt") != null);
			this.process.destroyForcibly().waitFor();

			client = start(port, args);
			RestClient restarted = client;
			await().atMost(Duration.ofSeconds(15)).until(() -> ladder(restarted, run).get(1).get("appliedAt") != null);
			assertThat(ladder(restarted, run).get(0).get("verdict")).isEqualTo("NO_EFFECT");
			dynatrace.problem("-10_1764756000000V2", "P-10", Instant.now());
			await().atMost(Duration.ofSeconds(10)).until(() -> "VERIFIED".equals(run(restarted, run).get("state")));
			Map<?, ?> changes = restarted.get()
				.uri("/api/remediation/audit?triggeredBy=manual")
				.retrieve()
				.body(Map.class);
			assertThat((List<Map<String, Object>>) changes.get("entries")).extracting((entry) -> entry.get("flag"))
				.as("each step's change, once")
				.containsExactlyInAnyOrder("errorInjectionEnabled", "circuitBreakerEnabled");
		}
	}

	private static Map<?, ?> run(RestClient client, String id) {
		return (Map<?, ?>) client.get().uri("/api/remediation/runs/" + id).retrieve().body(Map.class).get("run");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> ladder(RestClient client, String id) {
		return (List<Map<String, Object>>) run(client, id).get("ladder");
	}

	private static Map<?, ?> guard(RestClient client, String id) {
		return (Map<?, ?>) client.get().uri("/api/remediation/guards/" + id).retrieve().body(Map.class).get("guard");
	}

	private RestClient start(int port, String... args) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				RemediationApplication.class.getName(), "--server.port=" + port,
				"--remediation.data-dir=" + this.dataDir, "--remediation.guard.max-changes=1000",
				"--spring.main.banner-mode=off"));
		command.addAll(List.of(args));
		this.process = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dataDir.resolve("service.log").toFile()))
			.start();
		RestClient client = RestClient.create("http://localhost:" + port);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			assertThat(this.process.isAlive()).as("service process alive").isTrue();
			return client.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().is2xxSuccessful();
		});
		return client;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
