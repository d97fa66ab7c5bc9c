package io.bizobs.remediation.flags.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change stream, the OpenAPI document and the Prometheus metrics, as their readers use them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class FlagStreamAndOpenApiTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
	}

	@Test
	void streamSendsTheFlagsAndThenEachChange() throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/remediation/feature-flags/stream"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (BufferedReader events = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String first = nextData(events);
			assertThat(first).contains("\"errorInjectionEnabled\"");
			long version = ((Number) Map.class.cast(parse(first)).get("version")).longValue();

			this.client.post()
				.uri("/api/remediation/feature-flag")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"flag\":\"canaryTrafficPercent\",\"value\":" + (version + 1) % 100 + "}")
				.exchange()
				.expectStatus()
				.isOk();

			Map<?, ?> change = parse(nextData(events));
			assertThat(((Number) change.get("version")).longValue()).isEqualTo(version + 1);
			assertThat(((Map<?, ?>) change.get("flags")).get("canaryTrafficPercent"))
				.isEqualTo((int) ((version + 1) % 100));
		}
	}

	@Test
	void streamAskedForAsJsonIsNotAcceptableRatherThanAnUnknownFlag() {
		this.client.get()
			.uri("/api/remediation/feature-flags/stream")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	@SuppressWarnings("unchecked")
	void openApiDocumentDescribesEveryEndpoint() {
		Map<?, ?> document = this.client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		Map<String, Object> paths = (Map<String, Object>) document.get("paths");
		assertThat(paths).containsKeys("/api/remediation/feature-flags", "/api/remediation/feature-flags/{flag}",
				"/api/remediation/feature-flags/stream", "/api/remediation/feature-flag",
				"/api/remediation/feature-flags/bulk", "/api/remediation/error-rate", "/api/remediation/audit",
				"/api/remediation/events/test", "/api/journey-simulation/simulate-journey",
				"/api/journey-simulation/stats", "/ofrep/v1/evaluate/flags", "/ofrep/v1/evaluate/flags/{key}");
		Map<String, Object> change = (Map<String, Object>) ((Map<?, ?>) paths.get("/api/remediation/feature-flag"))
			.get("post");
		assertThat((Map<String, Object>) change.get("responses")).containsKeys("200", "400", "401", "403", "412", "413", "415",
				"429");
		assertThat(change.get("requestBody")).isNotNull();
		assertThat((List<Map<String, Object>>) change.get("security")).containsExactly(Map.of("ApiToken", List.of()),
				Map.of("Bearer", List.of()), Map.of("ApiKey", List.of()));
		for (String read : List.of("/api/remediation/audit", "/api/remediation/feature-flags")) {
			Map<String, Object> get = (Map<String, Object>) ((Map<?, ?>) paths.get(read)).get("get");
			assertThat((List<Map<String, Object>>) get.get("security")).as(read)
				.containsExactly(Map.of("ApiToken", List.of()), Map.of("Bearer", List.of()), Map.of("ApiKey", List.of()),
						Map.of());
		}
		Map<String, Object> schemes = (Map<String, Object>) ((Map<?, ?>) document.get("components"))
			.get("securitySchemes");
		assertThat(schemes).containsOnlyKeys("ApiToken", "Bearer", "ApiKey");
		assertThat((List<Map<String, Object>>) document.get("servers")).extracting((server) -> server.get("url"))
			.containsExactly("/");
		assertThat((Map<String, Object>) document.get("info")).containsEntry("title", "BizObs Remediation Service")
			.containsKey("version")
			.doesNotContainEntry("title", "OpenAPI definition");
		Map<String, Object> flagList = (Map<String, Object>) ((Map<?, ?>) ((Map<?, ?>) document.get("components"))
			.get("schemas")).get("FlagList");
		assertThat(flagList).containsEntry("type", "object");
		assertThat((Map<String, Object>) flagList.get("properties")).containsOnlyKeys("ok", "flags", "version",
				"timestamp");
	}

	@Test
	void prometheusShowsTheServicesOwnMetrics() {
		this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("bizobs_events_pending", "bizobs_journey_error_rate")
				.doesNotContain(System.getProperty("user.dir")));
		this.client.get()
			.uri("/actuator/info")
			.exchange()
			.expectBody()
			.jsonPath("$.build.artifact").isEqualTo("bizobs-remediation");
	}

	private static String nextData(BufferedReader events) throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			try {
				String line;
				while ((line = events.readLine()) != null) {
					if (line.startsWith("data:")) {
						return line.substring(5);
					}
				}
				return null;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).get(10, TimeUnit.SECONDS);
	}

	private static Map<?, ?> parse(String json) {
		return JsonMapper.builder().build().readValue(json, Map.class);
	}

}
