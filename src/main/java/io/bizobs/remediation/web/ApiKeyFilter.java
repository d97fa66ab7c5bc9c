package io.bizobs.remediation.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Finds the caller of an API request from its key ({@code Authorization: Api-Token <key>},
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}) and refuses what the caller
 * may not do. Keys are compared as SHA-256 digests in constant time and never logged.
 * <p>
 * With no key configured, reads are open and changes are accepted from loopback only.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ApiKeyFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ApiKeyFilter.class);

	private static final String API_PATH = "/api/";

	private static final String OFREP_PATH = "/ofrep/";

	/** Simulated journeys change no remediation state, so running one needs no write access. */
	private static final String SIMULATOR_PATH = "/api/journey-simulation/";

	private final List<ConfiguredKey> keys;

	private final boolean readsRequireKey;

	private final HandlerExceptionResolver exceptionResolver;

	ApiKeyFilter(ApiKeyProperties properties,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		this.keys = configuredKeys(properties);
		this.readsRequireKey = properties.readsRequireKey();
		this.exceptionResolver = exceptionResolver;
		if (this.keys.isEmpty()) {
			logger.warn("[Remediation] No API key configured (REMEDIATION_API_KEY): anyone can read the flags, and "
					+ "changes are accepted from this host (loopback) only");
		}
		else {
			logger.info("[Remediation] {} API key(s) configured: {}", this.keys.size(),
					this.keys.stream().map((key) -> key.caller().name()).toList());
		}
	}

	private static List<ConfiguredKey> configuredKeys(ApiKeyProperties properties) {
		List<ConfiguredKey> keys = new ArrayList<>();
		if (StringUtils.hasText(properties.apiKey())) {
			keys.add(new ConfiguredKey(sha256(properties.apiKey().trim()), new Caller("default", true, Set.of())));
		}
		for (ApiKeyProperties.Key key : properties.keys()) {
			if (!StringUtils.hasText(key.name())) {
				throw new IllegalArgumentException("Every key in remediation.security.keys needs a name");
			}
			byte[] digest = StringUtils.hasText(key.keySha256()) ? hex(key) : StringUtils.hasText(key.key())
					? sha256(key.key().trim()) : null;
			if (digest == null) {
				throw new IllegalArgumentException("Key '" + key.name() + "' needs key or key-sha256");
			}
			keys.add(new ConfiguredKey(digest, new Caller(key.name(), key.access() == ApiKeyProperties.Access.WRITE,
					Set.copyOf(key.flags()))));
		}
		return List.copyOf(keys);
	}

	private static byte[] hex(ApiKeyProperties.Key key) {
		try {
			byte[] digest = HexFormat.of().parseHex(key.keySha256().trim().toLowerCase());
			if (digest.length == 32) {
				return digest;
			}
		}
		catch (IllegalArgumentException ex) {
			// Reported below.
		}
		throw new IllegalArgumentException("key-sha256 of key '" + key.name() + "' is not 64 hex digits");
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(API_PATH) && !request.getRequestURI().startsWith(OFREP_PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			Caller caller = authorize(request);
			request.setAttribute(Caller.ATTRIBUTE, caller);
		}
		catch (ErrorResponseException ex) {
			this.exceptionResolver.resolveException(request, response, null, ex);
			return;
		}
		chain.doFilter(request, response);
	}

	private Caller authorize(HttpServletRequest request) {
		String path = request.getRequestURI();
		// OFREP evaluates with POST, but only reads.
		boolean write = !HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod())
				&& !path.startsWith(SIMULATOR_PATH) && !path.startsWith(OFREP_PATH);
		String presented = presentedKey(request);
		if (this.keys.isEmpty()) {
			if (write && !isLoopback(request.getRemoteAddr())) {
				throw refusal(HttpStatus.FORBIDDEN, "No API key is configured, so changes are accepted from the "
						+ "service's own host only; set REMEDIATION_API_KEY to allow others");
			}
			return write ? Caller.ANONYMOUS_LOCAL : Caller.ANONYMOUS_READER;
		}
		if (presented == null) {
			if (write || this.readsRequireKey) {
				throw refusal(HttpStatus.UNAUTHORIZED, "An API key is required: send Authorization: Api-Token <key>, "
						+ "Authorization: Bearer <key> or X-API-Key: <key>");
			}
			return Caller.ANONYMOUS_READER;
		}
		Caller caller = match(presented);
		if (caller == null) {
			throw refusal(HttpStatus.UNAUTHORIZED, "The API key is not valid");
		}
		if (write && !caller.canWrite()) {
			throw refusal(HttpStatus.FORBIDDEN, "Key '" + caller.name() + "' may read but not change flags");
		}
		return caller;
	}

	/** Compares against every key, so the time taken does not tell which one nearly matched. */
	private Caller match(String presented) {
		byte[] digest = sha256(presented);
		Caller found = null;
		for (ConfiguredKey key : this.keys) {
			if (MessageDigest.isEqual(digest, key.sha256()) && found == null) {
				found = key.caller();
			}
		}
		return found;
	}

	private static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader("X-API-Key");
		if (StringUtils.hasText(header)) {
			return header.trim();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			for (String scheme : new String[] { "Api-Token ", "Bearer " }) {
				if (authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
					String key = authorization.substring(scheme.length()).trim();
					return key.isEmpty() ? null : key;
				}
			}
		}
		return null;
	}

	private static boolean isLoopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static ErrorResponseException refusal(HttpStatus status, String detail) {
		ProblemDetail problem = ApiExceptionHandler.problem(status, detail);
		ErrorResponseException refusal = new ErrorResponseException(status, problem, null);
		if (status == HttpStatus.UNAUTHORIZED) {
			refusal.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Api-Token");
		}
		return refusal;
	}

	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record ConfiguredKey(byte[] sha256, Caller caller) {
	}

}
