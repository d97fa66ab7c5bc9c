package io.bizobs.remediation.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.RemediationApplication;
import io.bizobs.remediation.ServiceInstances;
import io.bizobs.remediation.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances of the service on one real PostgreSQL ({@link TestPostgres}), each test in
 * a schema of its own.
 */
class ReplicaTests {

	private final TestPostgres postgres = TestPostgres.shared();

	private final DynatraceDouble dynatrace = new DynatraceDouble();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final String schema = TestPostgres.newSchema("replicas");

	private JdbcClient admin;

	@BeforeEach
	void connect() {
		this.admin = this.postgres.admin();
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.dynatrace.close();
		this.admin.sql("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE").update();
	}

	@Test
	void changeMadeOnOneInstanceIsServedByAllWithinASecond() {
		List<RestClient> clients = start(3, 1000);

		ServiceInstances.change(clients.get(0), "errorInjectionEnabled", false);

		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			for (RestClient client : clients) {
				assertThat(flags(client).get("errorInjectionEnabled")).isEqualTo(false);
			}
		});
	}

	@Test
	void concurrentChangesOverAllInstancesLoseNoneAndEachIsSentOnce() throws Exception {
		List<RestClient> clients = start(3, 100_000);
		ExecutorService executor = Executors.newFixedThreadPool(8);
		List<Future<Integer>> results = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			int thread = t;
			results.add(executor.submit(() -> {
				int changed = 0;
				for (int i = 0; i < 25; i++) {
					RestClient client = clients.get((thread + i) % clients.size());
					Map<?, ?> answer = ServiceInstances.change(client, "canaryTrafficPercent", (thread * 25 + i) % 101);
					changed += Boolean.TRUE.equals(answer.get("changed")) ? 1 : 0;
				}
				return changed;
			}));
		}
		int changed = 0;
		for (Future<Integer> result : results) {
			changed += result.get();
		}
		executor.shutdown();
		int expected = changed;

		Map<?, ?> audit = clients.get(1).get().uri("/api/remediation/audit?limit=1000").retrieve().body(Map.class);
		assertThat(audit.get("count")).isEqualTo(expected);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.dynatrace.properties().size() >= expected);
		Set<String> changeIds = new HashSet<>();
		this.dynatrace.properties().forEach((event) -> changeIds.add(event.get("change.id")));
		assertThat(changeIds).as("distinct events").hasSize(expected);
		assertThat(this.dynatrace.properties()).as("events, doubles included").hasSize(expected);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			for (RestClient client : clients) {
				assertThat(client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class).get("version"))
					.isEqualTo(expected);
			}
		});
	}

	@Test
	void loopGuardCountsChangesMadeOnEveryInstance() {
		List<RestClient> clients = start(2, 6);
		for (int i = 1; i <= 6; i++) {
			ServiceInstances.change(clients.get(i % 2), "circuitBreakerEnabled", i % 2 == 1);
		}

		int status = clients.get(0)
			.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"circuitBreakerEnabled\",\"value\":true}")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(429);
	}

	@Test
	void changeOnAnInstanceThatDoesNotLeadReportsTheLeadersDelivery() {
		List<RestClient> clients = start(2, 1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> ServiceInstances.leader(clients) >= 0);

		Map<?, ?> answer = ServiceInstances.change(clients.get(1 - ServiceInstances.leader(clients)),
				"errorInjectionEnabled", false);

		Map<?, ?> event = (Map<?, ?>) answer.get("event");
		assertThat(event.get("status")).isEqualTo("DELIVERED");
		assertThat(event.get("correlationId")).isEqualTo("c1");
		assertThat(this.dynatrace.properties()).hasSize(1);
	}

	@Test
	void revertAndRampCarryOnWhenTheLeaderStops() {
		List<RestClient> clients = start(2, 1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> ServiceInstances.leader(clients) >= 0);
		int leader = ServiceInstances.leader(clients);
		RestClient other = clients.get(1 - leader);
		other.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"cacheEnabled\",\"value\":false,\"revertAfterSeconds\":2}")
			.retrieve()
			.toBodilessEntity();
		other.post()
			.uri("/api/remediation/error-rate")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"targetRate\":0.02,\"duration\":2}")
			.retrieve()
			.toBodilessEntity();

		this.instances.get(leader).close();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<?, ?> flags = flags(other);
			assertThat(flags.get("cacheEnabled")).as("reverted").isEqualTo(true);
			assertThat(flags.get("errorRate")).as("ramp completed").isEqualTo(0.02);
		});
		assertThat(ServiceInstances.leader(List.of(other))).isZero();
	}

	@Test
	void aGuardWatchedWhenTheLeaderStopsIsJudgedOnceByTheNextLeader() {
		this.dynatrace.problem("-77_1764756000000V2", "P-77", null);
		List<RestClient> clients = start(2, 1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> ServiceInstances.leader(clients) >= 0);
		int leader = ServiceInstances.leader(clients);
		RestClient other = clients.get(1 - leader);
		Map<?, ?> change = other.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"problemId\":\"P-77\","
					+ "\"guard\":{\"settleSeconds\":0,\"samples\":2}}")
			.retrieve()
			.body(Map.class);
		String guard = (String) ((Map<?, ?>) change.get("guard")).get("id");
		await().atMost(Duration.ofSeconds(5)).until(() -> ((Number) guard(other, guard).get("samples")).intValue() >= 2);

		this.instances.get(leader).close();
		this.dynatrace.problem("-77_1764756000000V2", "P-77", Instant.now());

		await().atMost(Duration.ofSeconds(10)).until(() -> "VERIFIED".equals(guard(other, guard).get("verdict")));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.dynatrace.comments().isEmpty());
		// Samples go on for a while; nothing is given twice.
		await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
		assertThat(this.dynatrace.comments()).hasSize(1);
		assertThat(this.dynatrace.properties()).filteredOn((event) -> guard.equals(event.get("guard.id"))).hasSize(1);
		Map<?, ?> audit = other.get().uri("/api/remediation/audit?triggeredBy=guard").retrieve().body(Map.class);
		assertThat(audit.get("count")).isEqualTo(1);
	}

	@Test
	void aRunStartedOnTwoInstancesAtOnceIsOneRunWhoseStepsAreEachAppliedOnceAcrossALeaderMove() throws Exception {
		this.dynatrace.problem("-78_1764756000000V2", "P-78", null);
		List<RestClient> clients = start(2, 1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> ServiceInstances.leader(clients) >= 0);
		int leader = ServiceInstances.leader(clients);
		RestClient other = clients.get(1 - leader);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		CountDownLatch ready = new CountDownLatch(4);
		List<Future<Integer>> answers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			RestClient client = clients.get(i % 2);
			answers.add(executor.submit(() -> {
				ready.countDown();
				ready.await();
				return client.post()
					.uri("/api/remediation/runbooks/quick/runs")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"problemId\":\"P-78\",\"triggeredBy\":\"dynatrace_workflow\"}")
					.exchange((request, response) -> response.getStatusCode().value());
			}));
		}
		List<Integer> statuses = new ArrayList<>();
		for (Future<Integer> answer : answers) {
			statuses.add(answer.get());
		}
		executor.shutdown();
		assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200);
		List<?> runs = (List<?>) other.get().uri("/api/remediation/runs?problemId=P-78").retrieve().body(Map.class).get("runs");
		assertThat(runs).hasSize(1);
		String run = (String) ((Map<?, ?>) runs.get(0)).get("id");

		await().atMost(Duration.ofSeconds(5)).until(() -> ladder(other, run).get(0).get("appliedAt") != null);
		this.instances.get(leader).close();

		await().atMost(Duration.ofSeconds(20)).until(() -> "ESCALATED".equals(runOf(other, run).get("state")));
		assertThat(ladder(other, run)).extracting((step) -> step.get("verdict")).containsExactly("NO_EFFECT", "NO_EFFECT");
		assertThat(this.admin.sql("SELECT COUNT(*) FROM " + this.schema + ".runbook_step").query(Long.class).single())
			.isEqualTo(2);
		assertThat(this.admin.sql("SELECT COUNT(*) FROM " + this.schema + ".audit_entry WHERE problem_id = 'P-78' "
				+ "AND remediation_type IN ('feature_flag_toggle', 'bulk_feature_flag_toggle')").query(Long.class).single())
			.as("each step's change, once")
			.isEqualTo(2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.dynatrace.events().stream().anyMatch((event) -> "CUSTOM_ALERT".equals(event.get("eventType"))));
		await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
		assertThat(this.dynatrace.events()).filteredOn((event) -> "CUSTOM_ALERT".equals(event.get("eventType"))).hasSize(1);
		assertThat(this.dynatrace.comments()).filteredOn((comment) -> comment.get("message").contains("ran out of remedies"))
			.hasSize(1);
	}

	private static Map<?, ?> runOf(RestClient client, String id) {
		return (Map<?, ?>) client.get().uri("/api/remediation/runs/" + id).retrieve().body(Map.class).get("run");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> ladder(RestClient client, String id) {
		return (List<Map<String, Object>>) runOf(client, id).get("ladder");
	}

	private static Map<?, ?> guard(RestClient client, String id) {
		return (Map<?, ?>) client.get().uri("/api/remediation/guards/" + id).retrieve().body(Map.class).get("guard");
	}

	@Test
	void rampsStartedAtOnceOnTwoInstancesLeaveExactlyOneRunning() throws Exception {
		List<RestClient> clients = start(2, 1000);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		for (int round = 0; round < 3; round++) {
			CountDownLatch ready = new CountDownLatch(2);
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				RestClient client = clients.get(i);
				double target = (round * 2 + i + 1) / 100.0;
				answers.add(executor.submit(() -> {
					ready.countDown();
					ready.await();
					return client.post()
						.uri("/api/remediation/error-rate")
						.contentType(MediaType.APPLICATION_JSON)
						.body("{\"targetRate\":" + target + ",\"duration\":60}")
						.exchange((request, response) -> response.getStatusCode().value());
				}));
			}
			for (Future<Integer> answer : answers) {
				assertThat(answer.get()).as("a new ramp replaces a running one").isEqualTo(202);
			}

			assertThat(this.admin.sql("SELECT COUNT(*) FROM " + this.schema + ".error_rate_ramp WHERE status = 'RUNNING'")
				.query(Long.class)
				.single()).as("running ramps after round " + round).isEqualTo(1);
			assertThat(this.admin.sql("SELECT COUNT(*) FROM " + this.schema + ".error_rate_ramp WHERE status = 'REPLACED'")
				.query(Long.class)
				.single()).isEqualTo(round * 2 + 1);
			Object running = ramp(clients.get(0)).get("id");
			assertThat(ramp(clients.get(1)).get("id")).isEqualTo(running);
		}
		executor.shutdown();
	}

	private static Map<?, ?> ramp(RestClient client) {
		return (Map<?, ?>) client.get().uri("/api/remediation/error-rate").retrieve().body(Map.class).get("ramp");
	}

	private List<RestClient> start(int count, int maxChanges) {
		List<RestClient> clients = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(RemediationApplication.class).run(
					"--server.port=0", "--spring.main.banner-mode=off",
					"--spring.datasource.url=" + this.postgres.url(this.schema),
					"--spring.datasource.username=" + this.postgres.username(),
					"--spring.datasource.password=" + this.postgres.password(),
					"--spring.datasource.hikari.maximum-pool-size=4", "--spring.flyway.schemas=" + this.schema,
					"--remediation.cluster.name=" + this.schema, "--remediation.guard.max-changes=" + maxChanges,
					"--remediation.dynatrace.environment=" + this.dynatrace.url(),
					"--remediation.dynatrace.api-token=dt0c01.TEST", "--remediation.ramp.step-interval=100ms",
					"--remediation.guards.sample-interval=200ms",
					// A ladder of two quick steps: each judged two seconds after its change.
					"--remediation.runbooks.quick.steps[0].name=error-injection-off",
					"--remediation.runbooks.quick.steps[0].flags.errorInjectionEnabled=false",
					"--remediation.runbooks.quick.steps[0].guard.settle-seconds=0",
					"--remediation.runbooks.quick.steps[0].guard.within-seconds=2",
					"--remediation.runbooks.quick.steps[1].name=circuit-breaker-on",
					"--remediation.runbooks.quick.steps[1].flags.circuitBreakerEnabled=true",
					"--remediation.runbooks.quick.steps[1].guard.settle-seconds=0",
					"--remediation.runbooks.quick.steps[1].guard.within-seconds=2");
			this.instances.add(context);
			clients.add(RestClient
				.create("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort()));
		}
		return clients;
	}

	private static Map<?, ?> flags(RestClient client) {
		return (Map<?, ?>) client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class).get("flags");
	}

}
