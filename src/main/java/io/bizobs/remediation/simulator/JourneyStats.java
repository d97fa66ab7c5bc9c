package io.bizobs.remediation.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

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

	/** The size of {@code entries}, which the deque itself counts only by walking it. */
	private final AtomicInteger size = new AtomicInteger();

	private final StepNames names;

	private final Set<String> gaugedCustomers = ConcurrentHashMap.newKeySet();

	JourneyStats(Clock clock, SimulatorProperties properties, MeterRegistry meters, StepNames names) {
		this.clock = clock;
		this.names = names;
		this.properties = properties;
		this.meters = meters;
		Gauge.builder("bizobs.journey.error.rate", this, (stats) -> stats.window().errorRate())
			.description("Share of failed journeys in the statistics window")
			.register(meters);
		Gauge.builder("bizobs.journey.step.error.rate", this, (stats) -> stats.window().stepErrorRate())
			.description("Share of failed steps in the statistics window")
			.register(meters);
		Gauge.builder("bizobs.journey.services.failing", this, JourneyStats::failingServices)
			.description("Step services whose share of failed calls in the statistics window passes "
					+ "remediation.simulator.failing-service-error-rate")
			.register(meters);
	}

	void record(String customer, JourneyResult journey) {
		long[] durations = journey.steps()
			.stream()
			.filter((step) -> !step.skipped())
			.mapToLong(JourneyResult.StepResult::durationMs)
			.toArray();
		int failedSteps = (int) journey.steps().stream().filter(JourneyResult.StepResult::failed).count();
		List<String> services = journey.steps()
			.stream()
			.filter((step) -> !step.skipped())
			.map((step) -> this.names.service(step.serviceName()))
			.toList();
		// A failed step ends its journey, so there is at most one.
		String failedService = journey.steps()
			.stream()
			.filter(JourneyResult.StepResult::failed)
			.map((step) -> this.names.service(step.serviceName()))
			.findFirst()
			.orElse(null);
		add(new Entry(this.clock.instant(), customer, false, journey.failed(), durations, failedSteps, services,
				failedService));
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
		add(new Entry(this.clock.instant(), null, true, false, new long[0], 0, List.of(), null));
	}

	private void add(Entry entry) {
		this.entries.addLast(entry);
		this.size.incrementAndGet();
		prune();
	}

	/** Drops the journeys older than the window, and the oldest beyond {@code max-window-journeys}. */
	private void prune() {
		Instant oldest = this.clock.instant().minus(this.properties.statsWindow());
		Entry first;
		while ((first = this.entries.peekFirst()) != null
				&& (first.at().isBefore(oldest) || this.size.get() > this.properties.maxWindowJourneys())) {
			if (this.entries.remove(first)) {
				this.size.decrementAndGet();
			}
		}
	}

	/**
	 * The share of failed journeys in the current window, and how many journeys it rests on.
	 * @param customer one customer's journeys, or {@code null} for all
	 */
	public Figures figures(String customer) {
		Window window = window();
		if (customer == null) {
			return new Figures(window.journeys(), window.failedJourneys(), window.errorRate(), window.steps(),
					window.failedSteps(), window.stepErrorRate());
		}
		return window.customers().getOrDefault(CustomerProfiles.tag(customer), new Figures(0, 0, 0.0, 0, 0, 0.0));
	}

	/** Whether the statistics count a customer under its own name, rather than as {@code other}. */
	public static boolean knows(String customer) {
		return CustomerProfiles.tag(customer).equals(customer);
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

	/**
	 * How many step services fail more often than {@code failing-service-error-rate}: what a
	 * Dynatrace detector watches to tell a failure of several services from one of a single step.
	 */
	int failingServices() {
		prune();
		Map<String, int[]> callsAndFailures = new HashMap<>();
		for (Entry entry : this.entries) {
			for (String service : entry.services()) {
				callsAndFailures.computeIfAbsent(service, (name) -> new int[2])[0]++;
			}
			if (entry.failedService() != null) {
				callsAndFailures.computeIfAbsent(entry.failedService(), (name) -> new int[2])[1]++;
			}
		}
		return (int) callsAndFailures.values()
			.stream()
			.filter((calls) -> calls[1] > this.properties.failingServiceErrorRate() * calls[0])
			.count();
	}

	private record Entry(Instant at, String customer, boolean rateLimited, boolean failed, long[] durations,
			int failedSteps, List<String> services, String failedService) {
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
