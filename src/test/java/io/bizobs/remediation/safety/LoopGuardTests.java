package io.bizobs.remediation.safety;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.bizobs.remediation.TestClock;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeRateExceededException;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagProperties;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The loop guard counts each caller's changes of a flag: a key allowed one flag that changes it
 * over and over is stopped, and cannot stop the workflow's defensive-mode change of that flag.
 */
class LoopGuardTests {

	@TempDir
	Path dataDir;

	private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));

	private FeatureFlagService flags;

	@BeforeEach
	void setUp() {
		TestDatabase database = TestDatabase.open(this.dataDir);
		this.flags = new FeatureFlagService(new FlagRegistry(new FlagProperties(null)), database.flags(), this.clock,
				() -> EventStatus.DISABLED, new LoopGuard(database.flags(), new GuardProperties(6, Duration.ofMinutes(10))),
				(event) -> {
				});
	}

	@Test
	void aScopedKeyThatTogglesAFlagSixTimesIsStoppedWithoutLockingOutTheWorkflowsDefensiveMode() {
		for (int i = 1; i <= 6; i++) {
			set("one-flag-key", Map.of("errorInjectionEnabled", i % 2 == 0));
			this.clock.advance(Duration.ofSeconds(10));
		}
		assertThatExceptionOfType(ChangeRateExceededException.class)
			.isThrownBy(() -> set("one-flag-key", Map.of("errorInjectionEnabled", false)))
			.withMessageContaining("by one-flag-key");

		Map<String, Object> defensiveMode = new LinkedHashMap<>();
		defensiveMode.put("errorInjectionEnabled", false);
		defensiveMode.put("slowResponsesEnabled", false);
		defensiveMode.put("circuitBreakerEnabled", true);
		set("self-healing-workflow", defensiveMode);

		assertThat(this.flags.snapshot().values()).containsEntry("errorInjectionEnabled", false)
			.containsEntry("circuitBreakerEnabled", true);
	}

	@Test
	void aWorkflowThatLoopsIsStoppedAtItsSeventhChangeUntilTheOldestLeavesTheWindow() {
		for (int i = 1; i <= 6; i++) {
			set("self-healing-workflow", Map.of("cacheEnabled", i % 2 == 0));
		}
		assertThatExceptionOfType(ChangeRateExceededException.class)
			.isThrownBy(() -> set("self-healing-workflow", Map.of("cacheEnabled", false)));

		this.clock.advance(Duration.ofMinutes(10).plusMillis(1));
		set("self-healing-workflow", Map.of("cacheEnabled", false));
		assertThat(this.flags.snapshot().value("cacheEnabled")).isEqualTo(false);
	}

	private void set(String caller, Map<String, Object> values) {
		this.flags.change(FlagChangeCommand.of(values, ChangeType.BULK_FEATURE_FLAG_TOGGLE,
				new ChangeContext("test", null, "dynatrace_workflow", caller, "10.0.0.1")));
	}

}
