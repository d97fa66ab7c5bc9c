package io.bizobs.remediation.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Makes a request without a key the anonymous {@link Caller}. Where no key is configured at all,
 * one from the service's own host (loopback) is trusted as the operator on that host would be:
 * it may write and sees health details. From anywhere else it is anonymous and may only read.
 * <p>
 * A web page the operator opens can make the browser send requests from the operator's own host,
 * and, by DNS rebinding, under a name of the page's choosing that points to 127.0.0.1. So, as
 * local development servers do, the host is trusted only when the request names the service by a
 * local name ({@code localhost}, {@code 127.0.0.1}, {@code [::1]} and the names configured in
 * {@code local-host-names}) and does not come from a page of another origin ({@code Origin},
 * {@code Sec-Fetch-Site}). curl and scripts send neither header; the console sends its own origin.
 */
final class AnonymousCallerFilter extends AnonymousAuthenticationFilter {

	private static final String KEY = UUID.randomUUID().toString();

	private static final List<GrantedAuthority> ANONYMOUS = AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS");

	private static final Set<String> LOCAL_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

	private final boolean keysConfigured;

	private final Set<String> localNames;

	AnonymousCallerFilter(boolean keysConfigured, Collection<String> localHostNames) {
		super(KEY);
		this.keysConfigured = keysConfigured;
		this.localNames = Stream.concat(LOCAL_NAMES.stream(), localHostNames.stream())
			.map((name) -> name.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	@Override
	protected Authentication createAuthentication(HttpServletRequest request) {
		if (!this.keysConfigured && isLoopback(request.getRemoteAddr()) && isAddressedLocally(request)) {
			return CallerAuthentication.local(Caller.anonymous(true), request.getRemoteAddr());
		}
		return new AnonymousAuthenticationToken(KEY, Caller.anonymous(false), ANONYMOUS);
	}

	/** Named by a local name, and not sent by a page of another origin. */
	private boolean isAddressedLocally(HttpServletRequest request) {
		if (!this.localNames.contains(request.getServerName().toLowerCase(Locale.ROOT))) {
			return false;
		}
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
			return false;
		}
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		return origin == null || isOwnOrigin(origin, request);
	}

	private boolean isOwnOrigin(String origin, HttpServletRequest request) {
		try {
			URI uri = URI.create(origin);
			int port = (uri.getPort() != -1) ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
			return uri.getHost() != null && this.localNames.contains(uri.getHost().toLowerCase(Locale.ROOT))
					&& port == request.getServerPort();
		}
		catch (IllegalArgumentException ex) {
			// "null", or not a URI at all: a sandboxed page, a file, or a forgery.
			return false;
		}
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
