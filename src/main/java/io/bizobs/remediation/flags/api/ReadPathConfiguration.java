package io.bizobs.remediation.flags.api;

import java.util.Set;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.micrometer.observation.ObservationPredicate;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiLocaleCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The flag reads that simulators and OpenFeature clients poll many times a second: served by
 * {@link FlagsDocumentServlet} and not observed. Measured, the observation of every request cost
 * about a sixth of their throughput (docs/benchmarks.md); every other request keeps its
 * {@code http.server.requests} metrics.
 */
@Configuration(proxyBeanMethods = false)
class ReadPathConfiguration {

	private static final Set<String> POLLED = Set.of(FlagsDocumentServlet.PATH, "/ofrep/v1/evaluate/flags");

	@Bean
	ObservationPredicate unobservedFlagReads() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& POLLED.contains(request.getCarrier().getRequestURI()));
	}

	@Bean
	ServletRegistrationBean<FlagsDocumentServlet> flagsDocumentServlet(FeatureFlagService flags,
			FlagsDocument document,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		return new ServletRegistrationBean<>(new FlagsDocumentServlet(flags, document, exceptionResolver),
				FlagsDocumentServlet.PATH);
	}

	/**
	 * The servlet is no controller, so the API document learns of it here. A locale customizer,
	 * because springdoc runs those before the plain ones, which come in no set order: the key
	 * schemes' customizer must see this operation like any other.
	 */
	@Bean
	OpenApiLocaleCustomizer flagsDocumentOperation() {
		return (openApi, locale) -> {
			ModelConverters.getInstance(true).readAll(FlagsDocument.Body.class).forEach(openApi.getComponents()::addSchemas);
			Content json = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
					new MediaType().schema(new Schema<>().$ref(FlagsDocument.SCHEMA)));
			openApi.path(FlagsDocumentServlet.PATH, new PathItem().get(new Operation().addTagsItem("Feature flags")
				.operationId("flags")
				.summary("All flags as plain values, with their version")
				.description("ETag is the version; a matching If-None-Match gets 304")
				.responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK").content(json))
					.addApiResponse("304", new ApiResponse().description("Not modified since the ETag given")))));
		};
	}

}
