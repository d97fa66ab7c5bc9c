package io.bizobs.remediation.simulator;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Step and customer names come from callers: past a bound, new ones are not made into meters,
 * so a caller cannot grow the metrics (and what is pushed to Dynatrace) without limit.
 */
@Configuration(proxyBeanMethods = false)
class SimulatorMetricsConfiguration {

	static final int MAX_STEP_NAMES = 100;

	static final int MAX_CUSTOMERS = 100;

	@Bean
	MeterFilter boundedJourneyStepNames() {
		return MeterFilter.maximumAllowableTags("bizobs.journey", "step", MAX_STEP_NAMES, MeterFilter.deny());
	}

	@Bean
	MeterFilter boundedJourneyCustomers() {
		return MeterFilter.maximumAllowableTags("bizobs.journey", "customer", MAX_CUSTOMERS, MeterFilter.deny());
	}

}
