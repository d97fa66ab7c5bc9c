package io.bizobs.remediation.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.bizobs.remediation.TestClock;
import io.bizobs.remediation.TestScheduler;
import io.bizobs.remediation.simulator.JourneyStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The chart's history: each customer's error rate as the statistics window has it, kept for the
 * history's length and no longer.
 */
class LoopHistoryTests {

	private final TestClock clock = new TestClock(Instant.parse("2026-11-24T03:00:00Z"));

	private final JourneyStats stats = mock(JourneyStats.class);

	private final TestScheduler scheduler = new TestScheduler();

	private final LoopHistory history = new LoopHistory(this.stats, this.clock,
			new ConsoleProperties(Duration.ofSeconds(5), Duration.ofMinutes(15)), this.scheduler.background());

	@AfterEach
	void stop() {
		this.scheduler.close();
	}

	@Test
	void samplesEachCustomersErrorRate() {
		given(this.stats.window()).willReturn(window(Map.of("Acme Corp", 0.25, "Initech", 0.0)));

		this.history.sample();

		assertThat(this.history.samples()).singleElement().satisfies((sample) -> {
			assertThat(sample.at()).isEqualTo(this.clock.instant());
			assertThat(sample.errorRates()).containsExactly(Map.entry("Acme Corp", 0.25), Map.entry("Initech", 0.0));
		});
	}

	@Test
	void keepsTheHistorysLengthOnly() {
		given(this.stats.window()).willReturn(window(Map.of("Acme Corp", 0.5)));
		for (int i = 0; i < 200; i++) {
			this.history.sample();
			this.clock.advance(Duration.ofSeconds(5));
		}

		assertThat(this.history.samples()).hasSize(181);
		assertThat(this.history.samples().get(0).at())
			.isEqualTo(this.clock.instant().minus(Duration.ofSeconds(5)).minus(Duration.ofMinutes(15)));
	}

	private static JourneyStats.Window window(Map<String, Double> errorRates) {
		Map<String, JourneyStats.Figures> customers = new TreeMap<>();
		errorRates.forEach((customer, rate) -> customers.put(customer,
				new JourneyStats.Figures(100, (int) (rate * 100), rate, 400, (int) (rate * 100), rate / 4)));
		return new JourneyStats.Window(60, 0, 0, 0, 0, 0, 0, 0, new JourneyStats.Latency(0, 0, 0), customers);
	}

}
