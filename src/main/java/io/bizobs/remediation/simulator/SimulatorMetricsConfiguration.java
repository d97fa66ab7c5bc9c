package io.bizobs.remediation.simulator;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Step names come from callers: past a bound, new ones are not made into meters, so a caller
 * cannot grow the metrics without limit.
 */
@Configuration(proxyBeanMethods = false)
class SimulatorMetricsConfiguration {

	static final int MAX_STEP_NAMES = 100;

	@Bean
	MeterFilter boundedJourneyStepNames() {
		return MeterFilter.maximumAllowableTags("bizobs.journey", "step", MAX_STEP_NAMES, MeterFilter.deny());
	}

}
