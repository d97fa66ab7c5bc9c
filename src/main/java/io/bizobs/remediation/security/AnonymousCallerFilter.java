package io.bizobs.remediation.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Makes a request without a key the anonymous {@link Caller}. Where no key is configured at all,
 * one from the service's own host (loopback) is trusted as the operator on that host would be:
 * it may write and sees health details. From anywhere else it is anonymous and may only read.
 */
final class AnonymousCallerFilter extends AnonymousAuthenticationFilter {

	private static final String KEY = UUID.randomUUID().toString();

	private static final List<GrantedAuthority> ANONYMOUS = AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS");

	private final boolean keysConfigured;

	AnonymousCallerFilter(boolean keysConfigured) {
		super(KEY);
		this.keysConfigured = keysConfigured;
	}

	@Override
	protected Authentication createAuthentication(HttpServletRequest request) {
		if (!this.keysConfigured && isLoopback(request.getRemoteAddr())) {
			return CallerAuthentication.of(Caller.anonymous(true), request.getRemoteAddr());
		}
		return new AnonymousAuthenticationToken(KEY, Caller.anonymous(false), ANONYMOUS);
	}

	/**
	 * The remote address is always an IP literal, so this never asks DNS. Tomcat's two usual
	 * spellings of loopback are recognised without parsing: this runs on every request.
	 */
	private static boolean isLoopback(String address) {
		if (address == null || address.isEmpty()) {
			return false;
		}
		if (address.equals("127.0.0.1") || address.equals("0:0:0:0:0:0:0:1")) {
			return true;
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
