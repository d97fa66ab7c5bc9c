package io.bizobs.remediation.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The database itself holds at most one running ramp, whatever the code above it does.
 */
class RampStoreTests {

	private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

	@TempDir
	Path dataDir;

	@Test
	void aSecondRunningRampIsRefusedAndEndedOnesAreKept() {
		RampStore ramps = TestDatabase.open(this.dataDir).ramps();
		RampRow first = running();
		ramps.insert(first);

		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> ramps.insert(running()));

		assertThat(ramps.finish(first.finished("REPLACED", START.plusSeconds(1), 0.1))).isTrue();
		RampRow second = running();
		ramps.insert(second);
		assertThat(ramps.finish(second.finished("STOPPED", START.plusSeconds(2), 0.1))).isTrue();
		ramps.insert(running());
		assertThat(ramps.latest()).hasValueSatisfying((ramp) -> assertThat(ramp.status()).isEqualTo("RUNNING"));
	}

	private static RampRow running() {
		return new RampRow(UUID.randomUUID().toString(), 0.12, 0.02, START, START.plusSeconds(60), "RUNNING", null,
				null, null, null, "manual", "anonymous", null);
	}

}
