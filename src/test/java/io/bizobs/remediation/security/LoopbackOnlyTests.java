package io.bizobs.remediation.security;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no key configured, changes are accepted from the service's own host only. MockMvc sets
 * the remote address a real socket on this machine cannot have.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LoopbackOnlyTests {

	private static final String CHANGE = "{\"flag\":\"cacheEnabled\",\"value\":false}";

	@TempDir
	static Path dataDir;

	@Autowired
	MockMvcTester mvc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.guard.max-changes", () -> "1000");
		registry.add("remediation.simulator.latency-scale", () -> "0");
	}

	@Test
	void changeFromAnotherHostIsRefusedUnderEverySpellingOfItsPath() throws Exception {
		long version = version();
		List<String> tried = new ArrayList<>();
		for (String path : HostileRequestTests.spellings("/api/remediation/feature-flag")) {
			URI uri;
			try {
				uri = URI.create(path);
			}
			catch (IllegalArgumentException ex) {
				continue; // Not a URI MockMvc can send; the raw socket test sends it.
			}
			MvcTestResult result = this.mvc.post()
				.uri(uri)
				.with(from("10.1.2.3"))
				.contentType(MediaType.APPLICATION_JSON)
				.content(CHANGE)
				.exchange();
			tried.add(path);
			assertThat(result).as(path).hasStatus4xxClientError();
			assertThat(result).as(path).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
		assertThat(tried).hasSizeGreaterThan(20);
		assertThat(version()).isEqualTo(version);
	}

	@Test
	void changeFromAnotherHostSaysWhy() {
		assertThat(this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.with(from("10.1.2.3"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(CHANGE)).hasStatus(403)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("No API key is configured");
		assertThat(this.mvc.post()
			.uri("/api/remediation/error-rate")
			.with(from("192.0.2.7"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"targetRate\":0.01,\"duration\":60}")).hasStatus(403);
	}

	@Test
	void readsFromAnotherHostStayOpen() {
		assertThat(this.mvc.get().uri("/api/remediation/feature-flags/cacheEnabled").with(from("10.1.2.3")))
			.hasStatusOk();
		assertThat(this.mvc.get().uri("/api/remediation/audit").with(from("10.1.2.3"))).hasStatusOk();
	}

	@Test
	void changeFromLoopbackIsAcceptedAndAuditedAsAnonymous() {
		for (String loopback : List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "127.9.9.9")) {
			assertThat(this.mvc.post()
				.uri("/api/remediation/feature-flag")
				.with(from(loopback))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"flag\":\"canaryTrafficPercent\",\"value\":" + (loopback.length() + 10) + "}"))
				.as(loopback)
				.hasStatusOk();
		}
		assertThat(this.mvc.get().uri("/api/remediation/audit?flag=canaryTrafficPercent&limit=1")).bodyJson()
			.extractingPath("$.entries[0].caller")
			.isEqualTo("anonymous");
	}

	@Test
	void aWebPageThatRebindsItsNameToLoopbackCannotChangeAnything() throws Exception {
		long version = version();
		for (String host : List.of("rebind.attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example")) {
			assertThat(this.mvc.post()
				.uri("http://" + host + ":8080/api/remediation/feature-flags/bulk")
				.header("Origin", "http://" + host + ":8080")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"flags\":{\"cacheEnabled\":false,\"errorInjectionEnabled\":true}}"))
				.as(host)
				.hasStatus(403)
				.bodyJson()
				.extractingPath("$.detail")
				.asString()
				.contains("addressed as localhost, 127.0.0.1 or [::1]");
		}
		assertThat(version()).isEqualTo(version);
	}

	@Test
	void aPageOfAnotherOriginCannotChangeAnythingThroughTheLocalName() throws Exception {
		long version = version();
		for (String origin : List.of("http://attacker.example", "http://localhost:3000", "null")) {
			assertThat(this.mvc.post()
				.uri("http://localhost:8080/api/remediation/feature-flag")
				.header("Origin", origin)
				.contentType(MediaType.APPLICATION_JSON)
				.content(CHANGE)).as(origin).hasStatus(403);
		}
		assertThat(this.mvc.post()
			.uri("http://localhost:8080/api/remediation/feature-flag")
			.header("Sec-Fetch-Site", "cross-site")
			.contentType(MediaType.APPLICATION_JSON)
			.content(CHANGE)).hasStatus(403);
		assertThat(version()).isEqualTo(version);
	}

	@Test
	void theConsoleOnItsOwnOriginAndCurlWithoutOneStillChangeFlags() {
		for (String origin : List.of("http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080")) {
			String host = origin.substring("http://".length());
			assertThat(this.mvc.post()
				.uri(origin + "/api/remediation/feature-flag")
				.header("Origin", origin)
				.header("Sec-Fetch-Site", "same-origin")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"flag\":\"canaryTrafficPercent\",\"value\":" + host.length() + "}")).as(origin)
				.hasStatusOk();
		}
		assertThat(this.mvc.post()
			.uri("http://localhost:8080/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.content(CHANGE)).hasStatusOk();
	}

	@Test
	void theErrorPageAskedForByItselfIsNoResourceRatherThanAServerError() {
		for (String method : List.of("GET", "POST", "DELETE")) {
			MvcTestResult error = this.mvc.method(HttpMethod.valueOf(method)).uri("/error")
				.exchange();
			assertThat(error).as(method).hasStatus(404).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void aClientWithoutAKeyStartsAtMostFiveJourneysASecond() {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			MvcTestResult journey = this.mvc.post()
				.uri("/api/journey-simulation/simulate-journey")
				.with(from("10.7.7.7"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"companyName\":\"Umbrella Corporation\",\"journey\":{\"steps\":[]}}")
				.exchange();
			statuses.add(journey.getResponse().getStatus());
		}
		assertThat(statuses.subList(0, 5)).containsOnly(200);
		assertThat(statuses.subList(5, 8)).containsOnly(429);
		assertThat(this.mvc.post()
			.uri("/api/journey-simulation/simulate-journey")
			.with(from("10.7.7.8"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"companyName\":\"Umbrella Corporation\"}")).as("another client").hasStatusOk();
	}

	private long version() throws Exception {
		// The flag list is a servlet of its own, which MockMvc does not serve; a flag's detail has the version too.
		String detail = this.mvc.get().uri("/api/remediation/feature-flags/cacheEnabled").exchange().getResponse()
			.getContentAsString();
		return JsonMapper.builder().build().readTree(detail).get("version").asLong();
	}

	private static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
