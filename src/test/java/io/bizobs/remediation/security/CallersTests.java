package io.bizobs.remediation.security;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The one check of which flags a caller may change fails closed: whatever is not a caller that
 * may write these flags is refused, never taken for a reader or for everyone.
 */
class CallersTests {

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void requestWithoutAnyAuthenticationIsRefused() {
		assertRefused(List.of("cacheEnabled"), "The request has no authenticated caller, so it may not change flags");
	}

	@Test
	void authenticationOfAnotherKindIsRefused() {
		authenticate(new TestingAuthenticationToken("admin", null, "ROLE_WRITE"));

		assertRefused(List.of("cacheEnabled"), "The request has no authenticated caller, so it may not change flags");
	}

	@Test
	void anonymousReaderIsRefused() {
		authenticate(new AnonymousAuthenticationToken("key", Caller.anonymous(false),
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));

		assertRefused(List.of("cacheEnabled"), "An anonymous caller may read but not change flags");
	}

	@Test
	void scopedKeyMayChangeOnlyItsFlagsAndHearsWhichItMay() {
		authenticate(CallerAuthentication.keyed(new Caller("workflow", true, Set.of("errorInjectionEnabled", "cacheEnabled")),
				"10.0.0.1"));

		assertThat(Callers.mayChange(List.of("errorInjectionEnabled", "cacheEnabled")).name()).isEqualTo("workflow");
		assertRefused(List.of("cacheEnabled", "errorRate", "slowResponsesEnabled"),
				"Key 'workflow' may not change errorRate, slowResponsesEnabled; it may change cacheEnabled, errorInjectionEnabled");
	}

	@Test
	void keyWithoutScopeMayChangeAnyFlag() {
		authenticate(CallerAuthentication.keyed(new Caller("default", true, Set.of()), "10.0.0.1"));

		assertThat(Callers.mayChange(List.of("errorRate", "anyFlagAtAll")).name()).isEqualTo("default");
	}

	private static void authenticate(Authentication authentication) {
		SecurityContextHolder.getContext().setAuthentication(authentication);
	}

	private static void assertRefused(List<String> flags, String detail) {
		assertThatExceptionOfType(ErrorResponseException.class).isThrownBy(() -> Callers.mayChange(flags))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(403);
				assertThat(ex.getBody().getDetail()).isEqualTo(detail);
			});
	}

}
