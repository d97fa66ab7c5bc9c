package io.bizobs.remediation.security;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * On Kubernetes Spring Boot would trust {@code X-Forwarded-For} from any private address, so
 * with no key configured a pod could claim to be loopback. The service keeps the connection's
 * own address: here a loopback caller that claims to be another host is still taken for
 * loopback, which is the same rule seen from the other side.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.cloud-platform=kubernetes")
@AutoConfigureRestTestClient
class ForwardedHeadersTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
	}

	@Test
	void forwardedAddressesAreNotBelievedEvenOnKubernetes() {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.header("X-Forwarded-For", "10.9.8.7")
			.header("Forwarded", "for=10.9.8.7")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"cacheEnabled\",\"value\":false}")
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/api/remediation/audit?flag=cacheEnabled&limit=1")
			.exchange()
			.expectBody()
			.jsonPath("$.entries[0].remoteAddress")
			.isEqualTo("127.0.0.1");
	}

}
