package io.bizobs.remediation.ofrep;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.bizobs.remediation.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OFREP as OpenFeature clients speak it: over raw HTTP, and through the real OpenFeature Java SDK
 * with its OFREP provider.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class OfrepTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.guard.max-changes", () -> "1000");
	}

	@Test
	void singleEvaluationIsStaticWithMetadata() {
		set("errorRate", "1.0");

		this.client.post()
			.uri("/ofrep/v1/evaluate/flags/errorRate")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"context\":{\"targetingKey\":\"user-1\"}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body)
				.isEqualTo("{\"key\":\"errorRate\",\"value\":1.0,\"reason\":\"STATIC\",\"variant\":\"1.0\",\"metadata\":{}}"));
	}

	@Test
	void unknownFlagIsFlagNotFound() {
		this.client.post()
			.uri("/ofrep/v1/evaluate/flags/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.key").isEqualTo("nope")
			.jsonPath("$.errorCode").isEqualTo("FLAG_NOT_FOUND")
			.jsonPath("$.errorDetails").isNotEmpty()
			.jsonPath("$.metadata").isMap();
	}

	/** Spring's path parsing refused a ';' in a prefix-mapped servlet's path with a 500, before the firewall. */
	@Test
	void aPathParameterBeforeTheKeyIsRefusedWith400NotAnError() throws Exception {
		for (String path : new String[] { "/ofrep/v1/evaluate/flags;x=y/cacheEnabled", "/ofrep;a/v1/evaluate/flags/cacheEnabled",
				"/ofrep/v1/evaluate/flags;jsessionid=1/cacheEnabled" }) {
			RawHttp.Answer answer = new RawHttp(this.port).send("127.0.0.1", "POST", path,
					"", "{}");
			assertThat(answer.status()).as(path).isEqualTo(400);
			assertThat(answer.isProblem()).as(path).isTrue();
		}
	}

	@Test
	void anIfNoneMatchSentAsSeveralHeadersIsReadWhole() throws Exception {
		String etag = this.client.post().uri("/ofrep/v1/evaluate/flags").exchange().returnResult().getResponseHeaders().getETag();
		for (String path : new String[] { "/ofrep/v1/evaluate/flags", "/api/remediation/flagd" }) {
			RawHttp.Answer answer = new RawHttp(this.port).send("127.0.0.1", path.startsWith("/ofrep") ? "POST" : "GET",
					path, "If-None-Match: \"-1\"\r\nIf-None-Match: " + etag + "\r\n", "");
			assertThat(answer.status()).as(path).isEqualTo(304);
		}
	}

	@Test
	void bulkEvaluationCarriesAnETagAndAnswers304WhenNothingChanged() {
		String etag = this.client.post()
			.uri("/ofrep/v1/evaluate/flags")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"context\":{}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.flags.length()").isEqualTo(7)
			.jsonPath("$.flags[?(@.key == 'canaryTrafficPercent')].reason").isEqualTo(List.of("STATIC"))
			.jsonPath("$.metadata").isMap()
			.returnResult()
			.getResponseHeaders()
			.getETag();

		this.client.post()
			.uri("/ofrep/v1/evaluate/flags")
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isNotModified();
	}

	@Test
	void bulkEvaluationAdvertisesAStreamOfRefetchEventsWithTheETag() throws Exception {
		EntityExchangeResult<byte[]> bulk = this.client.post()
			.uri("/ofrep/v1/evaluate/flags")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"context\":{}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.eventStreams[0].type").isEqualTo("sse")
			.returnResult();
		String requestUri = JsonPath.read(new String(bulk.getResponseBody(), StandardCharsets.UTF_8),
				"$.eventStreams[0].endpoint.requestUri");
		HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + requestUri))
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofLines());
		Iterator<String> lines = stream.body().iterator();
		try {
			assertThat(nextData(lines)).isEqualTo("{\"type\":\"refetchEvaluation\",\"etag\":\""
					+ bulk.getResponseHeaders().getETag().replace("\"", "\\\"") + "\"}");

			set("rateLimitingEnabled", String.valueOf(!Boolean.TRUE.equals(JsonPath.read(
					new String(bulk.getResponseBody(), StandardCharsets.UTF_8),
					"$.flags[?(@.key == 'rateLimitingEnabled')].value[0]") )));

			String etag = this.client.post().uri("/ofrep/v1/evaluate/flags").exchange().returnResult().getResponseHeaders()
				.getETag();
			assertThat(etag).isNotEqualTo(bulk.getResponseHeaders().getETag());
			assertThat(nextData(lines))
				.isEqualTo("{\"type\":\"refetchEvaluation\",\"etag\":\"" + etag.replace("\"", "\\\"") + "\"}");
		}
		finally {
			stream.body().close();
		}
	}

	/** The data of the next event, and checks it is an unnamed one, as OFREP wants. */
	private static String nextData(Iterator<String> lines) {
		while (lines.hasNext()) {
			String line = lines.next();
			assertThat(line).doesNotStartWith("event:");
			if (line.startsWith("data:")) {
				return line.substring(5);
			}
		}
		throw new AssertionError("The stream ended");
	}

	@Test
	void openFeatureClientReadsEachTypeAndSeesAChange() {
		set("cacheEnabled", "true");
		set("canaryTrafficPercent", "25");
		set("errorRate", "0.12");
		OpenFeatureAPI api = OpenFeatureAPI.getInstance();
		api.setProviderAndWait("bizobs", OfrepProvider.constructProvider(
				OfrepProviderOptions.builder().baseUrl("http://localhost:" + this.port).build()));
		Client openFeature = api.getClient("bizobs");

		assertThat(openFeature.getBooleanValue("cacheEnabled", false)).isTrue();
		assertThat(openFeature.getIntegerValue("canaryTrafficPercent", -1)).isEqualTo(25);
		FlagEvaluationDetails<Double> rate = openFeature.getDoubleDetails("errorRate", -1.0);
		assertThat(rate.getValue()).isEqualTo(0.12);
		assertThat(rate.getReason()).isEqualTo("STATIC");

		set("cacheEnabled", "false");
		await().atMost(Duration.ofSeconds(5)).until(() -> !openFeature.getBooleanValue("cacheEnabled", true));
		assertThat(openFeature.getBooleanDetails("noSuchFlag", true).getErrorCode()).isNotNull();
		api.shutdown();
	}

	private void set(String flag, String value) {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"" + flag + "\",\"value\":" + value + "}")
			.exchange()
			.expectStatus()
			.isOk();
	}

}
