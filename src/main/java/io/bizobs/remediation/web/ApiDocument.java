package io.bizobs.remediation.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API document's own name and version, at {@code /v3/api-docs} and in Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocument {

	@Bean
	OpenAPI apiDocumentInfo(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		// A relative server: springdoc would otherwise write the request's Host header into the document.
		return new OpenAPI().addServersItem(new Server().url("/").description("this service"))
			.info(new Info().title("BizObs Remediation Service")
			.version((properties != null) ? properties.getVersion() : "unknown")
			.description("Feature flags that Dynatrace Workflows flip to heal the BizObs journeys. Reads are open "
					+ "unless configured otherwise; changes need a write key (Authorize), or, with no key "
					+ "configured, a call from the service's own host."));
	}

}
