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
		assertThat(this.mvc.post().uri("/ofrep/v1/evaluate/flags/cacheEnabled").with(from("10.1.2.3")))
			.hasStatusOk();
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
