package io.bizobs.remediation.security;

import io.bizobs.remediation.web.Clients;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * Matches a presented key against the configured ones. A valid key is always accepted; a wrong
 * one is counted, and past the limits refused with 429 rather than 401.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

	private final ApiKeys keys;

	private final FailedKeyAttempts failedAttempts;

	ApiKeyAuthenticationProvider(ApiKeys keys, FailedKeyAttempts failedAttempts) {
		this.keys = keys;
		this.failedAttempts = failedAttempts;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		CallerAuthentication presented = (CallerAuthentication) authentication;
		String address = presented.remoteAddress();
		Caller caller = this.keys.match(presented.getCredentials()).orElse(null);
		if (caller == null) {
			throw this.failedAttempts.failed(Clients.of(address));
		}
		return CallerAuthentication.keyed(caller, address);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return CallerAuthentication.class.isAssignableFrom(authentication);
	}

}
