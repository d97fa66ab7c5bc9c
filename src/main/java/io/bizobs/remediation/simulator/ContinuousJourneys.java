package io.bizobs.remediation.simulator;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Background traffic ({@code ENABLE_CONTINUOUS_JOURNEYS=true}): every interval, a batch of
 * journeys for the configured customers in turn, so Dynatrace always has journeys to watch.
 * The journeys of a batch run side by side.
 */
@Component
class ContinuousJourneys implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ContinuousJourneys.class);

	private final JourneySimulator simulator;

	private final SimulatorProperties.Continuous properties;

	private final AtomicInteger next = new AtomicInteger();

	private volatile ScheduledExecutorService executor;

	ContinuousJourneys(JourneySimulator simulator, SimulatorProperties properties) {
		this.simulator = simulator;
		this.properties = properties.continuous();
	}

	private void runBatch() {
		List<String> customers = this.properties.customers();
		for (int i = 0; i < this.properties.batchSize() && !customers.isEmpty(); i++) {
			String customer = customers.get(Math.floorMod(this.next.getAndIncrement(), customers.size()));
			try {
				this.simulator.run(new Journey(null, null, customer, Journey.DEFAULT_STEPS))
					.exceptionally((ex) -> failed(customer, ex));
			}
			catch (JourneyRateLimitedException ex) {
				// Counted by the simulator; the next batch tries again.
			}
			catch (RuntimeException ex) {
				failed(customer, ex);
			}
		}
	}

	private JourneyResult failed(String customer, Throwable ex) {
		logger.warn("Continuous journey for {} failed to run", customer, ex);
		return null;
	}

	@Override
	public void start() {
		if (this.properties.enabled()) {
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "continuous-journeys");
				thread.setDaemon(true);
				return thread;
			});
			long interval = this.properties.interval().toMillis();
			scheduler.scheduleWithFixedDelay(this::runBatch, 0, interval, TimeUnit.MILLISECONDS);
			this.executor = scheduler;
			logger.info("Continuous journeys: {} every {} ms for {}", this.properties.batchSize(), interval,
					this.properties.customers());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.executor;
		this.executor = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
			try {
				scheduler.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
