package io.bizobs.remediation.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The journeys of the last {@code stats-window} (60 s by default): what Dynatrace sees climb
 * when errors are injected, and fall when a workflow turns them off.
 */
@Component
public class JourneyStats {

	private final Clock clock;

	private final SimulatorProperties properties;

	private final MeterRegistry meters;

	private final Deque<Entry> entries = new ConcurrentLinkedDeque<>();

	private final Set<String> gaugedCustomers = ConcurrentHashMap.newKeySet();

	JourneyStats(Clock clock, SimulatorProperties properties, MeterRegistry meters) {
		this.clock = clock;
		this.properties = properties;
		this.meters = meters;
		Gauge.builder("bizobs.journey.error.rate", this, (stats) -> stats.window().errorRate())
			.description("Share of failed journeys in the statistics window")
			.register(meters);
		Gauge.builder("bizobs.journey.step.error.rate", this, (stats) -> stats.window().stepErrorRate())
			.description("Share of failed steps in the statistics window")
			.register(meters);
	}

	void record(String customer, JourneyResult journey) {
		long[] durations = journey.steps()
			.stream()
			.filter((step) -> !step.skipped())
			.mapToLong(JourneyResult.StepResult::durationMs)
			.toArray();
		int failedSteps = (int) journey.steps().stream().filter(JourneyResult.StepResult::failed).count();
		add(new Entry(this.clock.instant(), customer, false, journey.failed(), durations, failedSteps));
		// What a Dynatrace detector watches: one customer's failing journeys must not hide in all.
		// Customers are profile names or "other" (CustomerProfiles.tag), so the gauges are few.
		if (this.gaugedCustomers.add(customer)) {
			Gauge.builder("bizobs.journey.customer.error.rate", this, (stats) -> stats.errorRate(customer))
				.description("Share of one customer's journeys that failed in the statistics window")
				.tag("customer", customer)
				.register(this.meters);
		}
	}

	private double errorRate(String customer) {
		Figures figures = window().customers().get(customer);
		return (figures != null) ? figures.errorRate() : 0.0;
	}

	void recordRateLimited() {
		add(new Entry(this.clock.instant(), null, true, false, new long[0], 0));
	}

	private void add(Entry entry) {
		this.entries.addLast(entry);
		prune();
	}

	private void prune() {
		Instant oldest = this.clock.instant().minus(this.properties.statsWindow());
		Entry first;
		while ((first = this.entries.peekFirst()) != null && first.at().isBefore(oldest)) {
			this.entries.pollFirst();
		}
	}

	/** The figures of the current window. */
	public Window window() {
		prune();
		Counts all = new Counts();
		Map<String, Counts> customers = new LinkedHashMap<>();
		List<Long> durations = new ArrayList<>();
		int rateLimited = 0;
		for (Entry entry : this.entries) {
			if (entry.rateLimited()) {
				rateLimited++;
				continue;
			}
			all.add(entry);
			customers.computeIfAbsent(entry.customer(), (name) -> new Counts()).add(entry);
			for (long duration : entry.durations()) {
				durations.add(duration);
			}
		}
		durations.sort(null);
		Map<String, Figures> byCustomer = new LinkedHashMap<>();
		customers.forEach((name, counts) -> byCustomer.put(name, counts.figures()));
		Figures figures = all.figures();
		return new Window(this.properties.statsWindow().toSeconds(), figures.journeys(), figures.failedJourneys(),
				figures.errorRate(), figures.steps(), figures.failedSteps(), figures.stepErrorRate(), rateLimited,
				new Latency(percentile(durations, 50), percentile(durations, 95), percentile(durations, 99)),
				byCustomer);
	}

	private static long percentile(List<Long> sorted, int percent) {
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

	private record Entry(Instant at, String customer, boolean rateLimited, boolean failed, long[] durations,
			int failedSteps) {
	}

	private static final class Counts {

		private int journeys;

		private int failedJourneys;

		private int steps;

		private int failedSteps;

		void add(Entry entry) {
			this.journeys++;
			this.failedJourneys += entry.failed() ? 1 : 0;
			this.steps += entry.durations().length;
			this.failedSteps += entry.failedSteps();
		}

		Figures figures() {
			return new Figures(this.journeys, this.failedJourneys, ratio(this.failedJourneys, this.journeys),
					this.steps, this.failedSteps, ratio(this.failedSteps, this.steps));
		}

		private static double ratio(int part, int whole) {
			return (whole == 0) ? 0.0 : Math.round(10_000.0 * part / whole) / 10_000.0;
		}

	}

	/**
	 * @param journeys journeys that ran
	 * @param failedJourneys journeys that ended in a failed step
	 * @param errorRate failed journeys per journey
	 * @param steps steps that ran (not skipped)
	 * @param failedSteps steps that failed
	 * @param stepErrorRate failed steps per step
	 */
	public record Figures(int journeys, int failedJourneys, double errorRate, int steps, int failedSteps,
			double stepErrorRate) {
	}

	/**
	 * @param windowSeconds the window's length
	 * @param journeys journeys that ran
	 * @param failedJourneys journeys that failed
	 * @param errorRate failed journeys per journey
	 * @param steps steps that ran
	 * @param failedSteps steps that failed
	 * @param stepErrorRate failed steps per step
	 * @param rateLimited journeys refused by the rate limiter
	 * @param latencyMs step latency percentiles
	 * @param customers the same figures per customer
	 */
	public record Window(long windowSeconds, int journeys, int failedJourneys, double errorRate, int steps,
			int failedSteps, double stepErrorRate, int rateLimited, Latency latencyMs, Map<String, Figures> customers) {
	}

	public record Latency(long p50, long p95, long p99) {
	}

}
