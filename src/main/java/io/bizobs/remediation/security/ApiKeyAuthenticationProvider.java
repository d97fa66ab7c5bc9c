package io.bizobs.remediation.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Matches a presented key against the configured ones, unless its address has already presented
 * too many wrong keys.
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
		this.failedAttempts.checkAllowed(address);
		Caller caller = this.keys.match(presented.getCredentials()).orElse(null);
		if (caller == null) {
			this.failedAttempts.failed(address);
			throw new BadCredentialsException("The API key is not valid");
		}
		return CallerAuthentication.of(caller, address);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return CallerAuthentication.class.isAssignableFrom(authentication);
	}

}
