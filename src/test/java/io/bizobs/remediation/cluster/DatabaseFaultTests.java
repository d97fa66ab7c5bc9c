package io.bizobs.remediation.cluster;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.RemediationApplication;
import io.bizobs.remediation.ServiceInstances;
import io.bizobs.remediation.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults under two replicas: the leader's database sessions ended while deliveries are in flight
 * to a slow Dynatrace, PostgreSQL stopped and started again under a steady stream of changes, and
 * the leader killed with SIGKILL mid-delivery. No change answered 200 is lost, nothing is answered
 * 500, and every change's event reaches Dynatrace exactly once; only a killed leader's event in
 * flight may arrive twice.
 */
class DatabaseFaultTests {

	private final ServiceInstances instances = new ServiceInstances();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<Thread> writers = new ArrayList<>();

	private final AtomicBoolean writing = new AtomicBoolean(true);

	@AfterEach
	void stop() throws Exception {
		this.writing.set(false);
		for (Thread writer : this.writers) {
			writer.join(10_000);
		}
		this.instances.close();
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void leaderWhoseSessionsEndWhileDeliveringLeavesEveryEventSentOnce() throws Exception {
		TestPostgres postgres = TestPostgres.shared();
		String schema = TestPostgres.newSchema("fenced");
		this.resources.add(() -> postgres.admin().sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update());
		DynatraceDouble dynatrace = new DynatraceDouble(Duration.ofMillis(100));
		this.resources.add(dynatrace);
		List<RestClient> clients = startReplicas(postgres, schema, dynatrace);
		JdbcClient admin = postgres.admin();
		await().atMost(Duration.ofSeconds(10)).until(() -> ServiceInstances.leader(clients) >= 0);

		// A backlog: 40 changes at once, delivered one by one, 100 ms each.
		List<Thread> changes = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			int thread = t;
			changes.add(new Thread(() -> {
				for (int i = 0; i < 5; i++) {
					ServiceInstances.change(clients.get(thread % 2), "canaryTrafficPercent", thread * 5 + i + 1);
				}
			}));
		}
		changes.forEach(Thread::start);
		for (Thread change : changes) {
			change.join();
		}
		int expected = 40;

		for (int received : List.of(5, 15, 25)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> dynatrace.properties().size() >= received);
			int leader = ServiceInstances.leader(clients);
			int ended = terminateSessions(admin, "replica" + Math.max(leader, 0));
			assertThat(ended).as("sessions of the leader ended").isPositive();
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> pending(admin, schema) == 0);
		assertEveryChangeSentOnce(admin, schema, dynatrace, expected);
	}

	@Test
	void leaderKilledWhileDeliveringLeavesAtMostTheEventInFlightSentTwice() throws Exception {
		TestPostgres postgres = TestPostgres.shared();
		String schema = TestPostgres.newSchema("killed");
		this.resources.add(() -> postgres.admin().sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update());
		DynatraceDouble dynatrace = new DynatraceDouble(Duration.ofMillis(200));
		this.resources.add(dynatrace);
		// The leader runs as a process of its own, to be killed with SIGKILL. Short time-outs make
		// a short lease (3 s), so the next leader takes the event in flight over soon.
		List<String> args = new ArrayList<>(ServiceInstances.onPostgres(postgres, schema));
		args.addAll(List.of("--remediation.guard.max-changes=100000", "--remediation.events.response-wait=100ms",
				"--remediation.events.connect-timeout=500ms", "--remediation.events.response-timeout=1s",
				"--remediation.dynatrace.environment=" + dynatrace.url(),
				"--remediation.dynatrace.api-token=dt0c01.TEST"));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), RemediationApplication.class.getName(),
				"--server.port=" + port, "--spring.main.banner-mode=off"));
		command.addAll(args);
		Process leaderProcess = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.resources.add(leaderProcess::destroyForcibly);
		RestClient leader = RestClient.create("http://localhost:" + port);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			assertThat(leaderProcess.isAlive()).as("leader process alive").isTrue();
			return ServiceInstances.leader(List.of(leader)) == 0;
		});
		RestClient other = RestClient.create(this.instances.start(args.toArray(String[]::new)));
		for (int i = 1; i <= 20; i++) {
			ServiceInstances.change(other, "canaryTrafficPercent", i);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> dynatrace.properties().size() >= 5);

		leaderProcess.destroyForcibly().waitFor();

		JdbcClient admin = postgres.admin();
		await().atMost(Duration.ofSeconds(60)).until(() -> pending(admin, schema) == 0);
		List<String> audited = admin.sql("SELECT id FROM " + schema + ".audit_entry").query(String.class).list();
		List<String> sent = dynatrace.properties().stream().map((event) -> event.get("change.id")).toList();
		assertThat(audited).hasSize(20);
		assertThat(new HashSet<>(sent)).as("every change's event arrived").containsExactlyInAnyOrderElementsOf(audited);
		assertThat(sent.size() - audited.size()).as("events sent twice").isLessThanOrEqualTo(1);
	}

	@Test
	void postgresStoppedAndStartedUnderChangesAnswers503NeverA500AndLosesNothing() throws Exception {
		TestPostgres postgres = TestPostgres.startOwn();
		this.resources.add(postgres);
		String schema = "restarted";
		DynatraceDouble dynatrace = new DynatraceDouble();
		this.resources.add(dynatrace);
		List<RestClient> clients = startReplicas(postgres, schema, dynatrace);
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		List<String> answered = new CopyOnWriteArrayList<>();
		Set<Integer> unavailable = ConcurrentHashMap.newKeySet();
		List<String> unexpected = new CopyOnWriteArrayList<>();
		for (int t = 0; t < 4; t++) {
			int thread = t;
			Thread writer = new Thread(() -> {
				int i = 0;
				while (this.writing.get()) {
					int replica = (thread + i) % 2;
					int value = (thread * 1000 + i++) % 101;
					clients.get(replica)
						.post()
						.uri("/api/remediation/feature-flag")
						.contentType(MediaType.APPLICATION_JSON)
						.body("{\"flag\":\"canaryTrafficPercent\",\"value\":" + value + "}")
						.exchange((request, response) -> {
							int status = response.getStatusCode().value();
							statuses.computeIfAbsent(status, (key) -> new AtomicInteger()).incrementAndGet();
							Map<?, ?> body = response.bodyTo(Map.class);
							if (status == 200 && body.get("auditId") != null) {
								answered.add((String) body.get("auditId"));
							}
							else if (status == 503) {
								unavailable.add(replica);
								if (!String.valueOf(response.getHeaders().getContentType())
									.startsWith("application/problem+json")) {
									unexpected.add("503 as " + response.getHeaders().getContentType());
								}
							}
							else if (status != 200) {
								unexpected.add(status + " " + body);
							}
							return null;
						});
				}
			}, "writer-" + t);
			this.writers.add(writer);
			writer.start();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> answered.size() >= 20);

		postgres.stop();
		await().atMost(Duration.ofSeconds(20)).until(() -> unavailable.size() == 2);
		int beforeRestart = answered.size();
		postgres.start();

		await().atMost(Duration.ofSeconds(30)).until(() -> answered.size() >= beforeRestart + 20);
		this.writing.set(false);
		for (Thread writer : this.writers) {
			writer.join(10_000);
		}

		assertThat(unexpected).as("answers other than 200 and 503 problems").isEmpty();
		assertThat(statuses).containsOnlyKeys(200, 503);
		JdbcClient admin = postgres.admin();
		Set<String> stored = new HashSet<>(
				admin.sql("SELECT id FROM " + schema + ".audit_entry").query(String.class).list());
		assertThat(stored).as("every change answered 200 is stored").containsAll(answered);
		await().atMost(Duration.ofSeconds(30)).until(() -> pending(admin, schema) == 0);
		assertEveryChangeSentOnce(admin, schema, dynatrace, stored.size());
	}

	private List<RestClient> startReplicas(TestPostgres postgres, String schema, DynatraceDouble dynatrace) {
		List<RestClient> clients = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			List<String> args = new ArrayList<>(ServiceInstances.onPostgres(postgres, schema));
			args.set(0, args.get(0) + "&ApplicationName=replica" + i);
			args.addAll(List.of("--spring.datasource.hikari.maximum-pool-size=6",
					"--remediation.guard.max-changes=100000", "--remediation.events.response-wait=100ms",
					"--remediation.dynatrace.environment=" + dynatrace.url(),
					"--remediation.dynatrace.api-token=dt0c01.TEST"));
			clients.add(RestClient.create(this.instances.start(args.toArray(String[]::new))));
		}
		return clients;
	}

	private static void assertEveryChangeSentOnce(JdbcClient admin, String schema, DynatraceDouble dynatrace,
			int expected) {
		List<String> audited = admin.sql("SELECT id FROM " + schema + ".audit_entry").query(String.class).list();
		assertThat(audited).hasSize(expected);
		List<String> sent = dynatrace.properties().stream().map((event) -> event.get("change.id")).toList();
		assertThat(sent).as("events received, doubles included").hasSize(expected).doesNotHaveDuplicates();
		assertThat(sent).containsExactlyInAnyOrderElementsOf(audited);
		assertThat(admin.sql("SELECT COUNT(*) FROM " + schema + ".audit_entry WHERE event_status <> 'DELIVERED'")
			.query(Long.class)
			.single()).isZero();
	}

	private static long pending(JdbcClient admin, String schema) {
		return admin.sql("SELECT COUNT(*) FROM " + schema + ".event_outbox").query(Long.class).single();
	}

	/** Ends every database session of a replica, as a network cut or a failover would. */
	private static int terminateSessions(JdbcClient admin, String applicationName) {
		return admin.sql("SELECT pid FROM pg_stat_activity WHERE application_name = :name")
			.param("name", applicationName)
			.query(Integer.class)
			.list()
			.stream()
			.mapToInt((pid) -> Boolean.TRUE.equals(admin.sql("SELECT pg_terminate_backend(:pid)")
				.param("pid", pid)
				.query(Boolean.class)
				.single()) ? 1 : 0)
			.sum();
	}
}
