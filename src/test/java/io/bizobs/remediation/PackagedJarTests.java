package io.bizobs.remediation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, started as the container starts it: on the context prepared at build time
 * ({@code -Dspring.aot.enabled=true}), configured by environment variables only. What the build
 * decided cannot be seen in any other test, which all run without AOT: a bean conditional on
 * {@code DT_ENVIRONMENT} was decided there, unset, and the container sent no event at all. Run by
 * Failsafe after {@code package}.
 */
class PackagedJarTests {

	private final MockWebServer dynatrace = new MockWebServer();

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private PackagedJar service;

	@BeforeEach
	void start() throws Exception {
		this.dynatrace.start();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.service != null) {
			this.service.close();
		}
		this.dynatrace.close();
	}

	@Test
	void theContainersJarSendsAChangeToTheDynatraceOfItsEnvironment() throws Exception {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201)
			.body("{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"corr-jar\",\"status\":\"OK\"}]}")
			.build());
		this.service = PackagedJar.start(List.of(), Map.of("DT_ENVIRONMENT", this.dynatrace.url("/").toString(),
				"DT_API_TOKEN", "dt0c01.JAR-TOKEN"), this.dataDir);

		HttpResponse<String> change = this.http.send(HttpRequest.newBuilder(URI.create(this.service.url("/api/remediation/feature-flag")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"flag\":\"errorInjectionEnabled\",\"value\":false,"
					+ "\"reason\":\"Error rate above 5%\",\"triggeredBy\":\"dynatrace_workflow\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
		assertThat(change.body()).contains("\"eventSent\":true", "\"correlationId\":\"corr-jar\"");
		RecordedRequest event = this.dynatrace.takeRequest(10, TimeUnit.SECONDS);
		assertThat(event).as("the event at Dynatrace; the service's log: %s", this.service.log()).isNotNull();
		assertThat(event.getTarget()).isEqualTo("/api/v2/events/ingest");
		assertThat(event.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.JAR-TOKEN");
		assertThat(event.getBody().utf8()).contains("\"eventType\":\"CUSTOM_CONFIGURATION\"");
	}

}
