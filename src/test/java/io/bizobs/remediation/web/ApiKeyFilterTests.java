package io.bizobs.remediation.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.ModelAndView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiKeyFilterTests {

	private final AtomicReference<Exception> refused = new AtomicReference<>();

	@Test
	void withoutKeysChangesFromAnotherHostAreRefused() throws Exception {
		ApiKeyFilter filter = filter(new ApiKeyProperties(null, null, false));

		Caller caller = run(filter, "POST", "10.1.2.3", null);

		assertThat(caller).isNull();
		assertThat(((ErrorResponseException) this.refused.get()).getStatusCode().value()).isEqualTo(403);
	}

	@Test
	void withoutKeysChangesFromLoopbackAreAnonymous() throws Exception {
		ApiKeyFilter filter = filter(new ApiKeyProperties(null, null, false));

		assertThat(run(filter, "POST", "127.0.0.1", null)).isEqualTo(Caller.ANONYMOUS_LOCAL);
		assertThat(run(filter, "POST", "0:0:0:0:0:0:0:1", null)).isEqualTo(Caller.ANONYMOUS_LOCAL);
		assertThat(run(filter, "GET", "10.1.2.3", null)).isEqualTo(Caller.ANONYMOUS_READER);
	}

	@Test
	void readsCanBeMadeToNeedAKey() throws Exception {
		ApiKeyFilter filter = filter(new ApiKeyProperties("secret", null, true));

		assertThat(run(filter, "GET", "10.1.2.3", null)).isNull();
		assertThat(((ErrorResponseException) this.refused.get()).getStatusCode().value()).isEqualTo(401);
		assertThat(run(filter, "GET", "10.1.2.3", "secret").name()).isEqualTo("default");
	}

	@Test
	void keyWithoutSecretOrWithAMalformedDigestStopsStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> filter(new ApiKeyProperties(null,
				List.of(new ApiKeyProperties.Key("workflow", null, null, ApiKeyProperties.Access.WRITE, null)),
				false)));
		assertThatIllegalArgumentException().isThrownBy(() -> filter(new ApiKeyProperties(null,
				List.of(new ApiKeyProperties.Key("workflow", null, "abc", ApiKeyProperties.Access.WRITE, null)),
				false)));
	}

	private ApiKeyFilter filter(ApiKeyProperties properties) {
		return new ApiKeyFilter(properties, (request, response, handler, ex) -> {
			this.refused.set(ex);
			return new ModelAndView();
		});
	}

	private Caller run(ApiKeyFilter filter, String method, String remoteAddress, String key) throws Exception {
		this.refused.set(null);
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/remediation/feature-flag");
		request.setRemoteAddr(remoteAddress);
		if (key != null) {
			request.addHeader("X-API-Key", key);
		}
		MockFilterChain chain = new MockFilterChain();
		filter.doFilter(request, new MockHttpServletResponse(), chain);
		return (chain.getRequest() != null) ? Caller.of(request) : null;
	}

}
