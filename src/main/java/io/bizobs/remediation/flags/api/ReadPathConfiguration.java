package io.bizobs.remediation.flags.api;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.web.PolledReadServlet;
import io.micrometer.observation.ObservationPredicate;
import io.swagger.v3.oas.models.PathItem;
import org.springdoc.core.customizers.OpenApiLocaleCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The flag reads that simulators and OpenFeature clients poll many times a second: served by a
 * {@link PolledReadServlet} each, and not observed. Measured, the observation of every request
 * cost about a sixth of their throughput (docs/benchmarks.md); every other request keeps its
 * {@code http.server.requests} metrics.
 */
@Configuration(proxyBeanMethods = false)
class ReadPathConfiguration {

	@Bean
	ObservationPredicate unobservedPolledReads() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& PolledReadServlet.serves(request.getCarrier()));
	}

	@Bean
	ServletRegistrationBean<PolledReadServlet> flagsDocumentServlet(FeatureFlagService flags, FlagsDocument document,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		return new PolledReadServlet(flags, "GET", document::answer, exceptionResolver).at("flags", FlagsDocument.PATH);
	}

	/**
	 * The servlet is no controller, so the API document learns of it here. A locale customizer,
	 * because springdoc runs those before the plain ones, which come in no set order: the key
	 * schemes' customizer must see this operation like any other.
	 */
	@Bean
	OpenApiLocaleCustomizer flagsDocumentOperation() {
		return (openApi, locale) -> openApi.path(FlagsDocument.PATH,
				new PathItem().get(PolledReadServlet.operation(openApi, "Feature flags", "flags",
						"All flags as plain values, with their version",
						"ETag is the version; a matching If-None-Match gets 304", true, FlagsDocument.Body.class,
						FlagsDocument.SCHEMA)));
	}

}
