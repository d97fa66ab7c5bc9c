package io.bizobs.remediation.ofrep;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.web.PolledReadServlet;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import org.springdoc.core.customizers.OpenApiLocaleCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * What OpenFeature clients poll, each a {@link PolledReadServlet}: OFREP's bulk and single
 * evaluations, and the flagd sync source. The servlets are no controllers, so the API document
 * learns of them here.
 */
@Configuration(proxyBeanMethods = false)
class OpenFeatureReadsConfiguration {

	private static final String OFREP = "OpenFeature (OFREP)";

	@Bean
	ServletRegistrationBean<PolledReadServlet> ofrepBulkServlet(FeatureFlagService flags, OfrepReads ofrep,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		return new PolledReadServlet(flags, "POST", ofrep::bulk, exceptionResolver).at("ofrep-bulk", OfrepReads.BULK);
	}

	/**
	 * Mapped to each declared key's path exactly, so that the container finds it in a map and no
	 * pattern is matched. A prefix mapping ({@code …/flags/*}) would do the same, but Spring's
	 * path parsing refuses such a request whose prefix carries a {@code ;} with a 500, before the
	 * firewall could refuse it with a 400.
	 */
	@Bean
	ServletRegistrationBean<PolledReadServlet> ofrepSingleServlet(FeatureFlagService flags, FlagRegistry registry,
			OfrepReads ofrep, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		return new PolledReadServlet(flags, "POST", ofrep::single, exceptionResolver).at("ofrep-single",
				OfrepReads.singlePaths(registry));
	}

	@Bean
	ServletRegistrationBean<PolledReadServlet> flagdSourceServlet(FeatureFlagService flags, FlagdSource flagd,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		return new PolledReadServlet(flags, "GET", flagd::answer, exceptionResolver).at("flagd", FlagdSource.PATH);
	}

	/** A locale customizer, run before the key schemes' customizer, which must see these operations. */
	@Bean
	OpenApiLocaleCustomizer openFeatureOperations() {
		return (openApi, locale) -> {
			openApi.path(OfrepReads.BULK,
					new PathItem().post(PolledReadServlet.operation(openApi, OFREP, "evaluateAll", "Evaluate all flags",
							"ETag is the flags' version; a matching If-None-Match gets 304", true, OfrepReads.Bulk.class,
							"OfrepBulkEvaluation")));
			Operation single = PolledReadServlet.operation(openApi, OFREP, "evaluate", "Evaluate one flag",
					"404 with errorCode FLAG_NOT_FOUND for an unknown key", false, OfrepReads.Evaluation.class,
					"OfrepEvaluation")
				.addParametersItem(new PathParameter().name("key").schema(new StringSchema()));
			single.getResponses()
				.addApiResponse("404",
						PolledReadServlet.answer(openApi, "No flag of that key", OfrepReads.Error.class, "OfrepError"));
			openApi.path(OfrepReads.BULK + "/{key}", new PathItem().post(single));
			openApi.path(FlagdSource.PATH,
					new PathItem().get(PolledReadServlet.operation(openApi, "Feature flags", "flagd",
							"The flags as a flagd sync source (flagd's flag definitions)",
							"For flagd (flagd start --uri http://…/api/remediation/flagd) and flagd's in-process "
									+ "providers. ETag is the flags' version; a matching If-None-Match gets 304",
							true, FlagdSource.Document.class, FlagdSource.SCHEMA)));
		};
	}

}
