package io.bizobs.remediation.events;

import io.bizobs.remediation.events.DynatraceProperties.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DynatraceEndpointTests {

	@Test
	void noEnvironmentMeansNoEvents() {
		assertThat(DynatraceEndpoint.resolve(properties(null, "dt0c01.x", null, Mode.AUTO))).isEmpty();
		assertThat(DynatraceEndpoint.resolve(properties(" ", "dt0c01.x", null, Mode.AUTO))).isEmpty();
	}

	@Test
	void classicTokenPostsToTheClassicIngestWithApiToken() {
		DynatraceEndpoint endpoint = resolve("https://abc12345.live.dynatrace.com/", "dt0c01.classic", null,
				Mode.AUTO);
		assertThat(endpoint.ingestUri()).hasToString("https://abc12345.live.dynatrace.com/api/v2/events/ingest");
		assertThat(endpoint.authorization()).isEqualTo("Api-Token dt0c01.classic");
		assertThat(endpoint.mode()).isEqualTo(Mode.CLASSIC);
	}

	@Test
	void platformTokenPostsToThePlatformIngestWithBearer() {
		DynatraceEndpoint endpoint = resolve("https://abc12345.apps.dynatrace.com", null, "dt0s16.platform",
				Mode.AUTO);
		assertThat(endpoint.ingestUri()).hasToString(
				"https://abc12345.apps.dynatrace.com/platform/classic/environment-api/v2/events/ingest");
		assertThat(endpoint.authorization()).isEqualTo("Bearer dt0s16.platform");
	}

	@Test
	void platformTokenWinsWhenBothAreGivenAndGoesToTheAppsHost() {
		DynatraceEndpoint endpoint = resolve("https://abc12345.live.dynatrace.com", "dt0c01.classic",
				"dt0s16.platform", Mode.AUTO);
		assertThat(endpoint.mode()).isEqualTo(Mode.PLATFORM);
		assertThat(endpoint.ingestUri().getHost()).isEqualTo("abc12345.apps.dynatrace.com");
	}

	@Test
	void appsUrlWithoutTokenIsPlatform() {
		assertThat(resolve("https://abc12345.apps.dynatrace.com", null, null, Mode.AUTO).mode())
			.isEqualTo(Mode.PLATFORM);
	}

	@Test
	void classicTokenWithAnAppsUrlGoesToTheMatchingLiveHost() {
		DynatraceEndpoint endpoint = resolve("https://abc12345.apps.dynatrace.com", "dt0c01.classic", null,
				Mode.AUTO);
		assertThat(endpoint.ingestUri()).hasToString("https://abc12345.live.dynatrace.com/api/v2/events/ingest");
		assertThat(endpoint.authorization()).startsWith("Api-Token ");
	}

	@Test
	void modeSettingOverridesTheChoice() {
		assertThat(resolve("https://abc12345.live.dynatrace.com", "dt0c01.c", "dt0s16.p", Mode.CLASSIC).authorization())
			.isEqualTo("Api-Token dt0c01.c");
	}

	@Test
	void localTestDoubleKeepsItsPortAndPath() {
		DynatraceEndpoint endpoint = resolve("http://127.0.0.1:9999/e/abc/", "dt0c01.x", null, Mode.AUTO);
		assertThat(endpoint.ingestUri()).hasToString("http://127.0.0.1:9999/e/abc/api/v2/events/ingest");
	}

	@Test
	void descriptionNamesEndpointAndSchemeButNeverTheToken() {
		DynatraceEndpoint endpoint = resolve("https://abc12345.live.dynatrace.com", "dt0c01.SECRET", null,
				Mode.AUTO);
		assertThat(endpoint.describe()).contains("abc12345.live.dynatrace.com", "Api-Token")
			.doesNotContain("SECRET");
		assertThat(endpoint.toString()).doesNotContain("SECRET");
	}

	@Test
	void environmentThatIsNoHttpUrlStopsStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DynatraceEndpoint.resolve(properties("abc12345.live.dynatrace.com", "t", null,
					Mode.AUTO)));
	}

	private static DynatraceEndpoint resolve(String environment, String apiToken, String platformToken, Mode mode) {
		return DynatraceEndpoint.resolve(properties(environment, apiToken, platformToken, mode)).orElseThrow();
	}

	private static DynatraceProperties properties(String environment, String apiToken, String platformToken,
			Mode mode) {
		return new DynatraceProperties(environment, apiToken, platformToken, mode, null, null);
	}

}
