package io.bizobs.remediation.ofrep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.bizobs.remediation.FlagList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flagd sync source as flagd reads it: the document checked against flagd's published schema
 * (the copy flagd's Java provider ships and parses with), and evaluated by that provider
 * in-process, from the file a flagd sidecar or a provider would poll, to the values the service
 * serves, before and after a change.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class FlagdSourceTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
	}

	@Test
	void theDocumentPassesFlagdsSchemaAndASpoiledOneDoesNot() {
		String document = flagd().getResponseBody();
		JsonSchema schema = JsonSchemaFactory
			.getInstance(SpecVersion.VersionFlag.V7,
					(factory) -> factory.schemaMappers(
							(mappers) -> mappers.mapPrefix("https://flagd.dev/schema/v0/", "classpath:flagd/schemas/")))
			.getSchema(SchemaLocation.of("https://flagd.dev/schema/v0/flags.json"));

		assertThat(schema.validate(document, InputFormat.JSON)).isEmpty();
		Set<ValidationMessage> spoiled = schema.validate(
				document.replace("\"defaultVariant\"", "\"default\"").replace("\"ENABLED\"", "\"ON\""), InputFormat.JSON);
		assertThat(spoiled).isNotEmpty();
	}

	@Test
	void aPollerIsAnswered304UntilTheNextChange() {
		EntityExchangeResult<String> first = flagd();
		String etag = first.getResponseHeaders().getETag();
		assertThat(etag).isNotNull();
		this.client.get()
			.uri("/api/remediation/flagd")
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isNotModified();

		set("rateLimitingEnabled", !(Boolean) flags().get("rateLimitingEnabled"));
		EntityExchangeResult<String> changed = this.client.get()
			.uri("/api/remediation/flagd")
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		assertThat(changed.getResponseHeaders().getETag()).isNotEqualTo(etag);
		assertThat(changed.getResponseBody()).contains("\"version\":\"" + flagsVersion() + "\"");
	}

	@Test
	void flagdsProviderEvaluatesEveryFlagToTheServicesValueBeforeAndAfterAChange(@TempDir Path sidecar)
			throws Exception {
		Path source = sidecar.resolve("flags.json");
		Files.writeString(source, flagd().getResponseBody());
		OpenFeatureAPI api = OpenFeatureAPI.getInstance();
		api.setProviderAndWait("flagd", new FlagdProvider(FlagdOptions.builder()
			.resolverType(Config.Resolver.FILE)
			.offlineFlagSourcePath(source.toString())
			.offlinePollIntervalMs(100)
			.build()));
		Client flagd = api.getClient("flagd");
		try {
			assertEvaluatesAsServed(flagd);

			set("canaryTrafficPercent", ((Number) flags().get("canaryTrafficPercent")).intValue() == 20 ? 30 : 20);
			set("cacheEnabled", !(Boolean) flags().get("cacheEnabled"));
			Files.writeString(source, flagd().getResponseBody());
			Object canary = flags().get("canaryTrafficPercent");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> canary.equals(flagd.getIntegerValue("canaryTrafficPercent", -1)));
			assertEvaluatesAsServed(flagd);
		}
		finally {
			api.getProvider("flagd").shutdown();
		}
	}

	private void assertEvaluatesAsServed(Client flagd) {
		Map<String, Object> served = flags();
		assertThat(served).hasSize(7);
		served.forEach((flag, value) -> {
			if (value instanceof Boolean bool) {
				assertThat(flagd.getBooleanValue(flag, !bool)).as(flag).isEqualTo(bool);
			}
			else if (value instanceof Integer integer) {
				assertThat(flagd.getIntegerValue(flag, integer + 1)).as(flag).isEqualTo(integer);
			}
			else {
				double number = ((Number) value).doubleValue();
				assertThat(flagd.getDoubleValue(flag, number + 1)).as(flag).isEqualTo(number);
			}
		});
	}

	private EntityExchangeResult<String> flagd() {
		return this.client.get()
			.uri("/api/remediation/flagd")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody(String.class)
			.returnResult();
	}

	private Map<String, Object> flags() {
		return FlagList.read(this.client).flags();
	}

	private long flagsVersion() {
		return FlagList.read(this.client).version();
	}

	private void set(String flag, Object value) {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("flag", flag, "value", value))
			.exchange()
			.expectStatus()
			.isOk();
	}

}
