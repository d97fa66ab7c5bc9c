package io.bizobs.remediation.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.ServiceInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

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

	/**
	 * Behind a proxy, forwarding on: only a proxy named in {@code internal-proxies} may set the
	 * caller's address. Tomcat's own default would believe every private and loopback address.
	 */
	@Test
	void withForwardingOnOnlyANamedProxyMaySetTheCallersAddress() throws Exception {
		try (ServiceInstances instances = new ServiceInstances()) {
			RestClient noProxyNamed = RestClient.create(instances.start("--remediation.data-dir=" + dataDir.resolve("a"),
					"--server.forward-headers-strategy=native"));
			RestClient proxyNamed = RestClient.create(instances.start("--remediation.data-dir=" + dataDir.resolve("b"),
					"--server.forward-headers-strategy=native", "--server.tomcat.remoteip.internal-proxies=127.0.0.1"));

			// Forged: believed by nobody, so the loopback caller stays itself.
			assertThat(forwardedChange(noProxyNamed).getStatusCode().value()).isEqualTo(200);
			assertThat(lastAddress(noProxyNamed)).isEqualTo("127.0.0.1");

			// From the named proxy: the address it forwards is the caller's, which is not this host,
			// so without a key the change is refused.
			assertThat(forwardedChange(proxyNamed).getStatusCode().value()).isEqualTo(403);
		}
	}

	private static ResponseEntity<String> forwardedChange(RestClient client) {
		return client.post()
			.uri("/api/remediation/feature-flag")
			.header("X-Forwarded-For", "10.9.8.7")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"cacheEnabled\",\"value\":false}")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toEntity(String.class);
	}

	private static Object lastAddress(RestClient client) {
		Map<?, ?> audit = client.get().uri("/api/remediation/audit?flag=cacheEnabled&limit=1").retrieve().body(Map.class);
		return ((Map<?, ?>) ((List<?>) audit.get("entries")).get(0)).get("remoteAddress");
	}

}
