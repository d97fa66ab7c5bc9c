package io.bizobs.remediation.web;

import java.util.Set;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The flag reads that simulators and OpenFeature clients poll many times a second are not
 * observed: measured, the observation of every request cost about a sixth of their throughput
 * (docs/benchmarks.md). Every other request keeps its {@code http.server.requests} metrics.
 */
@Configuration(proxyBeanMethods = false)
class ReadPathConfiguration {

	private static final Set<String> POLLED = Set.of("/api/remediation/feature-flags", "/ofrep/v1/evaluate/flags");

	@Bean
	ObservationPredicate unobservedFlagReads() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& POLLED.contains(request.getCarrier().getRequestURI()));
	}

}
