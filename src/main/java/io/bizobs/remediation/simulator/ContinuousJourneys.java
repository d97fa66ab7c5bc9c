package io.bizobs.remediation.simulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.bizobs.remediation.Background;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Background traffic ({@code ENABLE_CONTINUOUS_JOURNEYS=true}): every interval, a batch of
 * journeys for the configured customers in turn, so Dynatrace always has journeys to watch.
 * The journeys of a batch run side by side.
 */
@Component
class ContinuousJourneys implements Background.LoopOwner {

	private static final Logger logger = LoggerFactory.getLogger(ContinuousJourneys.class);

	private final JourneySimulator simulator;

	private final SimulatorProperties.Continuous properties;

	private final AtomicInteger next = new AtomicInteger();

	private final Background.Loop loop;

	ContinuousJourneys(JourneySimulator simulator, SimulatorProperties properties, Background background) {
		this.simulator = simulator;
		this.properties = properties.continuous();
		this.loop = background.loop("continuous-journeys", Duration.ofSeconds(5), () -> {
			runBatch();
			return this.properties.interval();
		});
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
			this.loop.start();
			logger.info("Continuous journeys: {} every {} ms for {}", this.properties.batchSize(),
					this.properties.interval().toMillis(), this.properties.customers());
		}
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
