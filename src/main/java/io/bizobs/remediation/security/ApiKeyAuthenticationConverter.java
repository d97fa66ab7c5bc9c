package io.bizobs.remediation.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Reads a key from {@code X-API-Key: <key>}, {@code Authorization: Api-Token <key>} (the scheme
 * Dynatrace's own tokens use) or {@code Authorization: Bearer <key>}. A request without one goes
 * on as anonymous.
 */
final class ApiKeyAuthenticationConverter implements AuthenticationConverter {

	private static final String[] SCHEMES = { "Api-Token ", "Bearer " };

	@Override
	public CallerAuthentication convert(HttpServletRequest request) {
		String key = presentedKey(request);
		return (key != null) ? CallerAuthentication.presented(key, request.getRemoteAddr()) : null;
	}

	private static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader("X-API-Key");
		if (StringUtils.hasText(header)) {
			return header.trim();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			for (String scheme : SCHEMES) {
				if (authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
					String key = authorization.substring(scheme.length()).trim();
					return key.isEmpty() ? null : key;
				}
			}
		}
		return null;
	}

}
