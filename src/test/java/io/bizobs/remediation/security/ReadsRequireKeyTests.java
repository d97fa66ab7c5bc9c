package io.bizobs.remediation.security;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code reads-require-key}, every read needs a key, the simulator's and OFREP's POSTs and the
 * flagd source too;
 * the health status stays open for load balancers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "remediation.security.reads-require-key=true",
		"remediation.security.keys[0].name=dashboard", "remediation.security.keys[0].key=read-key",
		"remediation.security.open-actuator-endpoints=health" })
@AutoConfigureMockMvc
@AutoConfigureRestTestClient
class ReadsRequireKeyTests {

	/** The polled reads, served by servlets of their own, which only a real request reaches. */
	private static final String[][] POLLED = { { "GET", "/api/remediation/feature-flags" },
			{ "GET", "/api/remediation/flagd" }, { "POST", "/ofrep/v1/evaluate/flags" },
			{ "POST", "/ofrep/v1/evaluate/flags/cacheEnabled" } };

	@TempDir
	static Path dataDir;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
	}

	@Test
	void readsWithoutAKeyAreRefused() {
		assertThat(this.mvc.get().uri("/api/remediation/feature-flags/cacheEnabled")).hasStatus(401);
		assertThat(this.mvc.get().uri("/api/remediation/audit")).hasStatus(401);
		for (String[] read : POLLED) {
			this.client.method(HttpMethod.valueOf(read[0])).uri(read[1]).exchange().expectStatus().isUnauthorized();
		}
		assertThat(this.mvc.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"companyName\":\"Acme Corp\"}")).hasStatus(401);
		assertThat(this.mvc.get().uri("/actuator/prometheus")).hasStatus(401);
	}

	@Test
	void readsWithAReadKeyAreAnswered() {
		assertThat(this.mvc.get().uri("/api/remediation/feature-flags/cacheEnabled").header("X-API-Key", "read-key"))
			.hasStatusOk();
		for (String[] read : POLLED) {
			this.client.method(HttpMethod.valueOf(read[0]))
				.uri(read[1])
				.header("X-API-Key", "read-key")
				.exchange()
				.expectStatus()
				.isOk();
		}
		assertThat(this.mvc.get().uri("/actuator/prometheus").header("X-API-Key", "read-key")).hasStatusOk();
	}

	@Test
	void theConsolePageLoadsWithoutAKeyAndItsReadsNeedOne() {
		for (String page : new String[] { "/", "/index.html" }) {
			assertThat(this.mvc.get().uri(page)).hasStatusOk()
				.bodyText()
				.as("the flags stay out of a page loaded without a key")
				.contains("<script type=\"module\" src=\"/console/main.js\">")
				.doesNotContain("first-paint")
				.doesNotContain("errorInjectionEnabled");
		}
		assertThat(this.mvc.get().uri("/console/main.js")).hasStatusOk();
		assertThat(this.mvc.get().uri("/api/console/caller")).hasStatus(401);
		assertThat(this.mvc.get().uri("/api/console/caller").header("X-API-Key", "read-key")).hasStatusOk();
	}

	@Test
	void healthStatusStaysOpen() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("UP");
	}

}
