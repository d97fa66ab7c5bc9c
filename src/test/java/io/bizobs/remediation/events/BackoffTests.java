package io.bizobs.remediation.events;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

	@Test
	void waitDoublesWithEachFailureWithinItsJitter() {
		SplittableRandom random = new SplittableRandom(42);
		for (int attempt = 1; attempt <= 8; attempt++) {
			long ceiling = 1000L << (attempt - 1);
			assertThat(this.backoff.delay(attempt, null, random).toMillis()).isBetween(ceiling / 2, ceiling);
		}
	}

	@Test
	void waitNeverExceedsTheCap() {
		SplittableRandom random = new SplittableRandom(7);
		for (int attempt = 1; attempt <= 100; attempt++) {
			assertThat(this.backoff.delay(attempt, null, random)).isLessThanOrEqualTo(Duration.ofMinutes(5));
		}
	}

	@Test
	void retriesDoNotAllHappenInStep() {
		SplittableRandom random = new SplittableRandom(1);
		assertThat(this.backoff.delay(5, null, random)).isNotEqualTo(this.backoff.delay(5, null, random));
	}

	@Test
	void retryAfterIsHonouredAsAFloor() {
		SplittableRandom random = new SplittableRandom(3);
		assertThat(this.backoff.delay(1, Duration.ofSeconds(2), random)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.backoff.delay(10, Duration.ofSeconds(2), random)).isGreaterThan(Duration.ofSeconds(2));
	}

}
