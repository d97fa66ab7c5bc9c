package io.bizobs.remediation.events;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.bizobs.remediation.TestClock;
import io.bizobs.remediation.TestScheduler;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagProperties;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.AuditQuery;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox worker with a real database and a real HTTP server standing in for Dynatrace
 * through outages, refusals and restarts. Its time rules (back-off, {@code Retry-After}, no
 * retry after a refusal) run on a clock the test moves, with the test taking the worker's steps;
 * the rest on the worker's own loop.
 */
class EventDeliveryWorkerTests {

	private static final String ACCEPTED = """
			{"reportCount": 1, "eventIngestResults": [{"correlationId": "corr-%d", "status": "OK"}]}""";

	private final JsonMapper json = JsonMapper.builder().build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@TempDir
	Path dataDir;

	private MockWebServer dynatrace = new MockWebServer();

	private TestDatabase database;

	private FeatureFlagService flags;

	private EventDeliveryWorker worker;

	private FirstAttempts firstAttempts;

	private final TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));

	@BeforeEach
	void setUp() throws IOException {
		this.dynatrace.start();
		this.database = TestDatabase.open(this.dataDir);
	}

	private final TestScheduler scheduler = new TestScheduler();

	@AfterEach
	void tearDown() {
		if (this.worker != null) {
			this.worker.stop();
		}
		this.scheduler.close();
		this.dynatrace.close();
	}

	@Test
	void eventIsDeliveredOnceAfterFiveOutages() throws Exception {
		for (int i = 0; i < 5; i++) {
			this.dynatrace.enqueue(new MockResponse.Builder().code(503).build());
		}
		this.dynatrace.enqueue(accepted(1));
		this.worker = worker(client(), this.clock);

		String auditId = change("errorInjectionEnabled", false);
		for (int attempt = 1; attempt <= 6; attempt++) {
			this.worker.deliverDue();
			assertThat(this.dynatrace.getRequestCount()).as("attempts after attempt %d", attempt).isEqualTo(attempt);
			// The longest back-off: the next attempt is due.
			this.clock.advance(delivery().maxBackoff());
		}

		assertThat(audit(auditId).eventStatus()).isEqualTo(EventStatus.DELIVERED);
		assertThat(audit(auditId).eventCorrelationId()).isEqualTo("corr-1");
		assertThat(this.database.outbox().pendingCount()).isZero();
		this.clock.advance(Duration.ofHours(1));
		this.worker.deliverDue();
		assertThat(this.dynatrace.getRequestCount()).as("requests, the delivered event's not sent again").isEqualTo(6);
		assertThat(this.meters.get("bizobs.events.retried").counter().count()).isEqualTo(5);
		assertThat(this.meters.get("bizobs.events.sent").counter().count()).isEqualTo(1);
	}

	@Test
	void retryAfterIsWaitedForBeforeTheNextAttempt() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
		this.dynatrace.enqueue(accepted(1));
		this.worker = worker(client(), this.clock);
		String auditId = change("cacheEnabled", false);

		this.worker.deliverDue();
		this.clock.advance(Duration.ofMillis(1999));
		this.worker.deliverDue();
		assertThat(this.dynatrace.getRequestCount()).as("attempts before Retry-After has passed").isEqualTo(1);

		this.clock.advance(Duration.ofMillis(1));
		this.worker.deliverDue();
		assertThat(this.dynatrace.getRequestCount()).isEqualTo(2);
		assertThat(audit(auditId).eventStatus()).isEqualTo(EventStatus.DELIVERED);
	}

	@Test
	void eventsWaitThroughARefusedConnectionAndArriveInOrderWhenDynatraceIsBack() throws Exception {
		int port = this.dynatrace.getPort();
		this.dynatrace.close();
		startWorker("http://127.0.0.1:" + port);

		List<String> auditIds = List.of(change("errorInjectionEnabled", false), change("slowResponsesEnabled", false),
				change("errorInjectionEnabled", true));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.get("bizobs.events.retried").counter().count() >= 3);
		assertThat(audit(auditIds.get(0)).eventStatus()).isEqualTo(EventStatus.PENDING);
		assertThat(audit(auditIds.get(0)).eventError()).startsWith("connection failed");

		this.dynatrace = new MockWebServer();
		for (int i = 1; i <= 3; i++) {
			this.dynatrace.enqueue(accepted(i));
		}
		this.dynatrace.start(port);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> auditIds.stream().allMatch((id) -> audit(id).eventStatus() == EventStatus.DELIVERED));
		List<String> delivered = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			delivered.add(changeId(this.dynatrace.takeRequest(1, TimeUnit.SECONDS)));
		}
		assertThat(delivered).isEqualTo(auditIds);
	}

	@Test
	void refusedEventIsFailedForGoodAndNotRetried() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(401)
			.body("{\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}")
			.build());
		this.dynatrace.enqueue(accepted(2));
		this.worker = worker(client(), this.clock);
		String auditId = change("rateLimitingEnabled", true);

		this.worker.deliverDue();

		assertThat(audit(auditId).eventStatus()).isEqualTo(EventStatus.FAILED);
		assertThat(audit(auditId).eventError()).isEqualTo("401 Unauthorized: Token Authentication failed");
		assertThat(this.database.outbox().pendingCount()).isZero();
		assertThat(this.worker.lastError()).contains("401");
		this.clock.advance(Duration.ofHours(1));
		this.worker.deliverDue();
		assertThat(this.dynatrace.getRequestCount()).as("requests, no retry").isEqualTo(1);
	}

	@Test
	void eventsLeftUndeliveredAreDeliveredAfterARestart() throws Exception {
		startWorker("http://127.0.0.1:1");
		String auditId = change("circuitBreakerEnabled", true);
		this.worker.stop();
		assertThat(this.database.outbox().pendingCount()).isEqualTo(1);

		this.dynatrace.enqueue(accepted(9));
		// A new worker over the same database, as after a restart of the service.
		startWorker(this.dynatrace.url("/").toString());

		await().atMost(Duration.ofSeconds(10)).until(() -> audit(auditId).eventStatus() == EventStatus.DELIVERED);
		assertThat(changeId(this.dynatrace.takeRequest(1, TimeUnit.SECONDS))).isEqualTo(auditId);
	}

	@Test
	void changeResponseWaitsForTheFirstAttempt() {
		this.dynatrace.enqueue(accepted(5));
		this.dynatrace.enqueue(new MockResponse.Builder().code(503).build());
		startWorker(this.dynatrace.url("/").toString());

		String delivered = change("errorInjectionEnabled", false);
		assertThat(this.firstAttempts.firstAttempts(List.of(delivered)).join().get(delivered))
			.isEqualTo(new DeliveryReport(EventStatus.DELIVERED, "corr-5", null));

		String pending = change("errorInjectionEnabled", true);
		DeliveryReport report = this.firstAttempts.firstAttempts(List.of(pending)).join().get(pending);
		assertThat(report.status()).isEqualTo(EventStatus.PENDING);
		assertThat(report.detail()).isEqualTo("503 Service Unavailable");
	}

	@Test
	void whileDynatraceAskedToWaitChangesAreAnsweredAtOnce() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "60").build());
		startWorker(this.dynatrace.url("/").toString());
		String first = change("errorInjectionEnabled", false);
		assertThat(this.firstAttempts.firstAttempts(List.of(first)).join().get(first).status()).isEqualTo(EventStatus.PENDING);

		String second = change("errorInjectionEnabled", true);
		DeliveryReport report = this.firstAttempts.firstAttempts(List.of(second)).join().get(second);

		// Answered from the pause, not after waiting out response-wait ("Not yet delivered; it will be retried").
		assertThat(report.status()).isEqualTo(EventStatus.PENDING);
		assertThat(report.detail()).isEqualTo("Not yet delivered; Dynatrace is unavailable: 429 Too Many Requests");
		assertThat(this.dynatrace.getRequestCount()).isEqualTo(1);
	}

	@Test
	void withoutDynatraceChangesAreReportedAsDisabled() {
		this.worker = worker(null);

		assertThat(this.worker.initialStatus()).isEqualTo(EventStatus.DISABLED);
		assertThat(this.firstAttempts.firstAttempts(List.of("any")).join().get("any").status()).isEqualTo(EventStatus.DISABLED);
	}

	/** A worker on its own loop, on the real clock. */
	private void startWorker(String environment) {
		this.worker = worker(client(environment), Clock.systemUTC());
		this.worker.start();
	}

	private DynatraceClient client() {
		return client(this.dynatrace.url("/").toString());
	}

	private DynatraceClient client(String environment) {
		DynatraceProperties dynatrace = new DynatraceProperties(environment, "dt0c01.TOKEN", null, null, null, null);
		return EventsConfiguration.dynatraceClient(dynatrace, delivery(), WebClient.builder(), this.json).orElseThrow();
	}

	private EventDeliveryWorker worker(DynatraceClient client) {
		return worker(client, Clock.systemUTC());
	}

	/** A worker whose loop is not started: the test runs it, or takes its steps itself. */
	private EventDeliveryWorker worker(DynatraceClient client, Clock clock) {
		this.firstAttempts = new FirstAttempts(client != null, this.database.flags(), () -> true,
				delivery().responseWait(), clock, this.scheduler.background());
		EventDeliveryWorker worker = new EventDeliveryWorker(client, this.database.outbox(), () -> true,
				this.firstAttempts, null, delivery(), clock, new SplittableRandom(42), this.meters,
				this.scheduler.background());
		this.flags = new FeatureFlagService(new FlagRegistry(new FlagProperties(null)), this.database.flags(), clock,
				worker, (flags, caller, now) -> {
				}, (event) -> worker.wake());
		return worker;
	}

	private static EventDeliveryProperties delivery() {
		return new EventDeliveryProperties(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2),
				Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(200), 6);
	}

	private String change(String flag, boolean value) {
		return this.flags
			.change(FlagChangeCommand.of(Map.of(flag, value), ChangeType.FEATURE_FLAG_TOGGLE,
					new ChangeContext("test", null, "manual", "anonymous", "127.0.0.1")))
			.changes()
			.get(0)
			.auditId();
	}

	private AuditEntry audit(String auditId) {
		return this.database.flags()
			.audit(new AuditQuery(null, null, 1000))
			.stream()
			.filter((entry) -> entry.id().equals(auditId))
			.findFirst()
			.orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private String changeId(RecordedRequest request) {
		Map<String, Object> event = this.json.readValue(request.getBody().utf8(), Map.class);
		return ((Map<String, String>) event.get("properties")).get("change.id");
	}

	private static MockResponse accepted(int correlation) {
		return new MockResponse.Builder().code(201).body(ACCEPTED.formatted(correlation)).build();
	}

}
