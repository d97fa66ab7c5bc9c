package io.bizobs.remediation.flags;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.bizobs.remediation.store.AuditQuery;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FeatureFlagServiceTests {

	private static final Instant NOW = Instant.parse("2026-11-24T10:15:30.123Z");

	private static final ChangeContext OPERATOR = new ChangeContext("Manual test - disabling errors", "P-12345",
			"manual", "anonymous", "127.0.0.1");

	private final FlagRegistry registry = new FlagRegistry(new FlagProperties(null));

	@TempDir
	Path dataDir;

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private EventStatus initialEventStatus = EventStatus.DISABLED;

	private TestDatabase database;

	private FlagStore store;

	private FeatureFlagService service;

	@BeforeEach
	void setUp() {
		this.database = TestDatabase.open(this.dataDir);
		this.store = this.database.flags();
		this.service = newService();
	}

	private FeatureFlagService newService() {
		return new FeatureFlagService(this.registry, this.store, Clock.fixed(NOW, ZoneOffset.UTC),
				() -> this.initialEventStatus, (flags, caller, now) -> {
				}, this.published::add);
	}

	@Test
	void freshServiceServesTheDefaultsAtVersionZero() {
		FlagSnapshot snapshot = this.service.snapshot();
		assertThat(snapshot.version()).isZero();
		assertThat(snapshot.values()).containsEntry("errorInjectionEnabled", true)
			.containsEntry("canaryTrafficPercent", 50L)
			.containsEntry("errorRate", 0.12);
	}

	@Test
	void changeIsServedStoredAndAudited() {
		FlagChangeOutcome outcome = this.service.change(single("errorInjectionEnabled", false));

		FlagChange change = outcome.changes().get(0);
		assertThat(change.changed()).isTrue();
		assertThat(change.previousValue()).isEqualTo(true);
		assertThat(outcome.version()).isEqualTo(1);
		assertThat(outcome.timestamp()).isEqualTo(NOW);
		assertThat(this.service.snapshot().value("errorInjectionEnabled")).isEqualTo(false);
		assertThat(this.service.snapshot().state("errorInjectionEnabled").lastChange().auditId())
			.isEqualTo(change.auditId());
		assertThat(this.store.audit(new AuditQuery(null, null, 10))).singleElement().satisfies((entry) -> {
			assertThat(entry.id()).isEqualTo(change.auditId());
			assertThat(entry.previousValue()).isEqualTo("true");
			assertThat(entry.newValue()).isEqualTo("false");
			assertThat(entry.problemId()).isEqualTo("P-12345");
			assertThat(entry.timestamp()).isEqualTo(NOW);
		});
	}

	@Test
	void withoutDynatraceNoEventIsQueuedAndTheAuditSaysSo() {
		FlagChangeOutcome outcome = this.service.change(single("errorInjectionEnabled", false));

		assertThat(outcome.changes().get(0).eventStatus()).isEqualTo(EventStatus.DISABLED);
		assertThat(this.database.outbox().pendingCount()).isZero();
		assertThat(this.store.audit(new AuditQuery(null, null, 10)).get(0).eventStatus())
			.isEqualTo(EventStatus.DISABLED);
	}

	@Test
	void withDynatraceEachChangedFlagQueuesOneEventWithTheChange() {
		this.initialEventStatus = EventStatus.PENDING;
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("errorInjectionEnabled", false);
		values.put("slowResponsesEnabled", false);
		values.put("circuitBreakerEnabled", false);

		FlagChangeOutcome outcome = this.service.change(bulk(values));

		assertThat(this.database.outbox().oldest(10)).extracting((event) -> event.change().id())
			.containsExactly(outcome.changes().get(0).auditId(), outcome.changes().get(1).auditId());
		assertThat(this.database.outbox().oldest(10).get(0).change().remediationType())
			.isEqualTo("bulk_feature_flag_toggle");
	}

	@Test
	void committedChangeIsPublishedWithTheNewSnapshot() {
		this.service.change(single("errorInjectionEnabled", true));
		assertThat(this.published).isEmpty();

		this.service.change(single("errorInjectionEnabled", false));

		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(FlagsChanged.class,
					(changed) -> assertThat(changed.snapshot().value("errorInjectionEnabled")).isEqualTo(false));
	}

	@Test
	void changeToTheCurrentValueIsNeitherRecordedNorVersioned() {
		this.service.change(single("errorInjectionEnabled", false));

		FlagChangeOutcome again = this.service.change(single("errorInjectionEnabled", false));

		assertThat(again.changes().get(0).changed()).isFalse();
		assertThat(again.changes().get(0).auditId()).isNull();
		assertThat(again.version()).isEqualTo(1);
		assertThat(this.store.audit(new AuditQuery(null, null, 10))).hasSize(1);
	}

	@Test
	void bulkChangeWithOneBadEntryChangesNothingAndNamesEveryBadEntry() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("errorInjectionEnabled", false);
		values.put("canaryTrafficPercent", 150);
		values.put("nope", true);

		assertThatExceptionOfType(InvalidFlagChangeException.class)
			.isThrownBy(() -> this.service.change(bulk(values)))
			.satisfies((ex) -> {
				assertThat(ex.violations()).extracting(InvalidFlagChangeException.Violation::flag)
					.containsExactly("canaryTrafficPercent", "nope");
				assertThat(ex.availableFlags()).contains("errorInjectionEnabled");
			});
		assertThat(this.service.snapshot().version()).isZero();
		assertThat(this.service.snapshot().value("errorInjectionEnabled")).isEqualTo(true);
		assertThat(this.store.audit(new AuditQuery(null, null, 10))).isEmpty();
	}

	@Test
	void bulkChangeIsOneVersionWithAnAuditEntryPerChangedFlag() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("errorInjectionEnabled", false);
		values.put("slowResponsesEnabled", false);
		values.put("circuitBreakerEnabled", false);

		FlagChangeOutcome outcome = this.service.change(bulk(values));

		assertThat(outcome.version()).isEqualTo(1);
		assertThat(outcome.changes()).extracting(FlagChange::changed).containsExactly(true, true, false);
		assertThat(this.store.audit(new AuditQuery(null, null, 10))).extracting((entry) -> entry.flag())
			.containsExactlyInAnyOrder("errorInjectionEnabled", "slowResponsesEnabled");
	}

	@Test
	void newServiceOverTheSameDatabaseServesTheStoredFlags() {
		this.service.change(single("canaryTrafficPercent", 10));
		this.service.change(single("errorRate", 0.02));

		FlagSnapshot restarted = newService().snapshot();

		assertThat(restarted.version()).isEqualTo(2);
		assertThat(restarted.value("canaryTrafficPercent")).isEqualTo(10L);
		assertThat(restarted.value("errorRate")).isEqualTo(0.02);
		assertThat(restarted.state("errorRate").lastChange().triggeredBy()).isEqualTo("manual");
	}

	@Test
	void dryRunAnswersAsIfAppliedButChangesNothing() {
		FlagChangeOutcome outcome = this.service.change(new FlagChangeCommand(Map.of("errorInjectionEnabled", false),
				ChangeType.FEATURE_FLAG_TOGGLE, OPERATOR, true, null, null, null));

		assertThat(outcome.dryRun()).isTrue();
		assertThat(outcome.changes().get(0).changed()).isTrue();
		assertThat(outcome.changes().get(0).auditId()).isNull();
		assertThat(this.service.snapshot().value("errorInjectionEnabled")).isEqualTo(true);
		assertThat(this.store.audit(new AuditQuery(null, null, 10))).isEmpty();
	}

	@Test
	void changeExpectingAnOlderVersionIsRefused() {
		this.service.change(single("cacheEnabled", false));

		assertThatExceptionOfType(VersionMismatchException.class)
			.isThrownBy(() -> this.service.change(new FlagChangeCommand(Map.of("cacheEnabled", true),
					ChangeType.FEATURE_FLAG_TOGGLE, OPERATOR, false, 0L, null, null)))
			.satisfies((ex) -> assertThat(ex.currentVersion()).isEqualTo(1));
		assertThat(this.service.snapshot().value("cacheEnabled")).isEqualTo(false);
	}

	@Test
	void snapshotTakenBeforeAChangeStaysAsItWas() {
		FlagSnapshot before = this.service.snapshot();

		this.service.change(single("errorInjectionEnabled", false));

		assertThat(before.value("errorInjectionEnabled")).isEqualTo(true);
		assertThat(before.version()).isZero();
	}

	@Test
	void concurrentTogglesLoseNoChange() throws Exception {
		int threads = 8;
		int togglesPerThread = 25;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		List<Future<Long>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			boolean value = t % 2 == 0;
			results.add(executor.submit(() -> {
				long changed = 0;
				for (int i = 0; i < togglesPerThread; i++) {
					String flag = (i % 2 == 0) ? "cacheEnabled" : "slowResponsesEnabled";
					if (this.service.change(single(flag, value)).changes().get(0).changed()) {
						changed++;
					}
				}
				return changed;
			}));
		}
		long changed = 0;
		for (Future<Long> result : results) {
			changed += result.get();
		}
		executor.shutdown();

		assertThat(changed).isPositive();
		assertThat(this.service.snapshot().version()).isEqualTo(changed);
		assertThat(this.store.audit(new AuditQuery(null, null, 1000))).hasSize((int) changed);
		assertThat(newService().snapshot().values()).isEqualTo(this.service.snapshot().values());
	}

	private static FlagChangeCommand single(String flag, Object value) {
		return FlagChangeCommand.of(Map.of(flag, value), ChangeType.FEATURE_FLAG_TOGGLE, OPERATOR);
	}

	private static FlagChangeCommand bulk(Map<String, Object> values) {
		return FlagChangeCommand.of(values, ChangeType.BULK_FEATURE_FLAG_TOGGLE, OPERATOR);
	}

}
