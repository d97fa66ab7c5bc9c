package io.bizobs.remediation.flags.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagProperties;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.web.PolledReadServlet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.json.JsonContent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** The flag list as its polled-read servlet serves it. */
class FlagsDocumentTests {

	private final FeatureFlagService flags = mock();

	private final PolledReadServlet servlet = new PolledReadServlet(this.flags, "GET",
			new FlagsDocument(JsonMapper.builder().build())::answer, mock());

	@Test
	void flagListIsPlainValuesWithVersionTimestampAndETag() throws Exception {
		version(17);

		MockHttpServletResponse response = get(null);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getHeader("ETag")).isEqualTo("\"17\"");
		assertThat(new JsonContent(response.getContentAsString())).isEqualTo("""
				{"ok": true, "version": 17, "timestamp": "2026-11-24T10:00:00Z",
				 "flags": {"errorInjectionEnabled": true, "slowResponsesEnabled": true,
				           "circuitBreakerEnabled": false, "rateLimitingEnabled": false, "cacheEnabled": true,
				           "canaryTrafficPercent": 50, "errorRate": 0.12}}""", JsonCompareMode.STRICT);
	}

	@Test
	void flagListAnswers304ToItsOwnETagOnly() throws Exception {
		version(17);
		assertThat(get("\"17\"").getStatus()).isEqualTo(304);
		assertThat(get("\"17\"").getContentAsByteArray()).isEmpty();
		assertThat(get("W/\"17\"").getStatus()).isEqualTo(304);

		version(18);
		MockHttpServletResponse changed = get("\"17\"");
		assertThat(changed.getStatus()).isEqualTo(200);
		assertThat(changed.getHeader("ETag")).isEqualTo("\"18\"");
	}

	private void version(long version) {
		Map<String, FlagState> states = new LinkedHashMap<>();
		new FlagRegistry(new FlagProperties(null)).all()
			.forEach((definition) -> states.put(definition.name(),
					new FlagState(definition, definition.defaultValue(), null, null)));
		given(this.flags.snapshot())
			.willReturn(new FlagSnapshot(version, Instant.parse("2026-11-24T10:00:00Z"), states));
	}

	private MockHttpServletResponse get(String ifNoneMatch) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", FlagsDocument.PATH);
		if (ifNoneMatch != null) {
			request.addHeader("If-None-Match", ifNoneMatch);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.servlet.service(request, response);
		return response;
	}

}
