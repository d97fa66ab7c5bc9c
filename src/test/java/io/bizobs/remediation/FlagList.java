package io.bizobs.remediation;

import java.util.Map;

import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The flag list as a client reads it ({@code GET /api/remediation/feature-flags}), for tests that
 * compare what they see elsewhere with what the service serves.
 *
 * @param flags the values by flag name
 * @param version the flags' version
 */
public record FlagList(Map<String, Object> flags, long version) {

	@SuppressWarnings("unchecked")
	public static FlagList read(RestTestClient client) {
		Map<String, Object> document = client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return new FlagList((Map<String, Object>) document.get("flags"),
				((Number) document.get("version")).longValue());
	}

}
