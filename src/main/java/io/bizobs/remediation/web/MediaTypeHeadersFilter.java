package io.bizobs.remediation.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two headers read as HTTP means them, where the actuator's endpoints, which do not go through
 * Spring MVC's content negotiation ({@link ContentNegotiation}), answered 500:
 * <ul>
 * <li>The empty elements of an {@code Accept} list are ignored (RFC 9110, 5.6.1): {@code text/plain,}
 * is {@code text/plain}, and {@code Accept:} or {@code Accept: ,} lists nothing, which is no
 * preference, as Spring MVC takes it. The Prometheus endpoint parsed an empty element as a media
 * type, or chose no format at all for an empty list.</li>
 * <li>A wildcard {@code Content-Type} ({@code *}{@code /*}, {@code application/*}) is not given the
 * request's character encoding. Spring MVC means to leave such a type alone, but adds that encoding
 * to it (every request has one from Spring Boot's encoding filter) and then refuses, with an
 * IllegalArgumentException, the wildcard type it has made; every actuator endpoint may read a
 * body, so each failed. Without the encoding no endpoint reads a body of such a type: an actuator
 * GET ignores it, and a change refuses it with 415, as it did.</li>
 * </ul>
 */
@Component
class MediaTypeHeadersFilter extends OncePerRequestFilter {

	/** The API's own endpoints negotiate through Spring MVC, so the flag reads pay nothing here. */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/actuator/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> accept = acceptWithoutEmptyElements(request);
		boolean wildcardContentType = isWildcard(request.getContentType());
		chain.doFilter((accept != null || wildcardContentType) ? new Request(request, accept, wildcardContentType)
				: request, response);
	}

	/** The {@code Accept} values without their empty elements, or null where none has one, as nearly always. */
	private static List<String> acceptWithoutEmptyElements(HttpServletRequest request) {
		List<String> values = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
		// Only a blank value or a list can hold an empty element: a single type is passed as it is.
		if (values.stream().noneMatch((value) -> value.isBlank() || value.indexOf(',') >= 0)) {
			return null;
		}
		boolean empty = false;
		List<String> cleaned = new ArrayList<>();
		for (String value : values) {
			// Tokenized as the actuator does, so what it reads afterwards holds no empty element.
			List<String> elements = MimeTypeUtils.tokenize(value).stream().map(String::strip).toList();
			empty |= value.isBlank() || elements.contains("");
			String elementsLeft = elements.stream()
				.filter((element) -> !element.isEmpty())
				.collect(Collectors.joining(", "));
			if (!elementsLeft.isEmpty()) {
				cleaned.add(elementsLeft);
			}
		}
		return empty ? cleaned : null;
	}

	private static boolean isWildcard(String contentType) {
		if (contentType == null || contentType.indexOf('*') < 0) {
			return false;
		}
		try {
			return !MediaType.parseMediaType(contentType).isConcrete();
		}
		catch (InvalidMediaTypeException ex) {
			// Unparseable: Spring MVC answers it 415 where a body is read.
			return false;
		}
	}

	private static final class Request extends HttpServletRequestWrapper {

		/** Null: as sent. */
		private final List<String> accept;

		private final boolean wildcardContentType;

		Request(HttpServletRequest request, List<String> accept, boolean wildcardContentType) {
			super(request);
			this.accept = accept;
			this.wildcardContentType = wildcardContentType;
		}

		@Override
		public String getHeader(String name) {
			if (this.accept != null && HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
				return this.accept.isEmpty() ? null : this.accept.get(0);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (this.accept != null && HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
				return Collections.enumeration(this.accept);
			}
			return super.getHeaders(name);
		}

		/** An {@code Accept} that lists nothing is no {@code Accept} at all. */
		@Override
		public Enumeration<String> getHeaderNames() {
			if (this.accept == null || !this.accept.isEmpty()) {
				return super.getHeaderNames();
			}
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(HttpHeaders.ACCEPT::equalsIgnoreCase);
			return Collections.enumeration(names);
		}

		@Override
		public String getCharacterEncoding() {
			return this.wildcardContentType ? null : super.getCharacterEncoding();
		}

	}

}
