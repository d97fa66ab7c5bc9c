package io.bizobs.remediation.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.simulator.JourneyStats;

import org.springframework.stereotype.Component;

/**
 * The journeys' error rate per customer over the last {@code remediation.console.history}, sampled
 * every {@code sample-interval} from the statistics window, so the console's chart shows the
 * loop's effect across page reloads. Held in memory, bounded by time: a restart starts it anew.
 */
@Component
class LoopHistory implements Background.LoopOwner {

	private final JourneyStats stats;

	private final Clock clock;

	private final ConsoleProperties properties;

	/** Oldest first; guarded by itself. */
	private final Deque<Sample> samples = new ArrayDeque<>();

	private final Background.Loop sampling;

	LoopHistory(JourneyStats stats, Clock clock, ConsoleProperties properties, Background background) {
		this.stats = stats;
		this.clock = clock;
		this.properties = properties;
		this.sampling = background.loop("console-loop-history", Duration.ofSeconds(5), () -> {
			sample();
			return properties.sampleInterval();
		});
	}

	/** Takes one sample now and drops those older than the history. */
	void sample() {
		Map<String, Double> errorRates = new TreeMap<>();
		this.stats.window().customers().forEach((customer, figures) -> errorRates.put(customer, figures.errorRate()));
		Instant now = this.clock.instant();
		Instant oldest = now.minus(this.properties.history());
		synchronized (this.samples) {
			this.samples.addLast(new Sample(now, errorRates));
			while (this.samples.peekFirst().at().isBefore(oldest)) {
				this.samples.pollFirst();
			}
		}
	}

	/** The samples of the history, oldest first. */
	List<Sample> samples() {
		synchronized (this.samples) {
			return List.copyOf(this.samples);
		}
	}

	@Override
	public Background.Loop loop() {
		return this.sampling;
	}

	/**
	 * @param at when it was taken
	 * @param errorRates each customer's share of failed journeys in the statistics window; a
	 * customer without journeys in the window has none
	 */
	record Sample(Instant at, Map<String, Double> errorRates) {
	}

}
