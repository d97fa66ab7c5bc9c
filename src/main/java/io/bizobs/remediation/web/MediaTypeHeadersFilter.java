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
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers read as HTTP means them, where the actuator's endpoints, which do not go through
 * Spring MVC's content negotiation ({@link LenientAcceptHeader}), answered 500:
 * <ul>
 * <li>The empty elements of an {@code Accept} list are ignored (RFC 9110, 5.6.1): {@code text/plain,}
 * is {@code text/plain}, and {@code Accept:} or {@code Accept: ,} lists nothing, which is no
 * preference, as Spring MVC takes it. The Prometheus endpoint parsed an empty element as a media
 * type, or chose no format at all for an empty list.</li>
 * </ul>
 */
@Component
class MediaTypeHeadersFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> accept = acceptWithoutEmptyElements(request);
		chain.doFilter((accept != null) ? new Request(request, accept) : request, response);
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

	private static final class Request extends HttpServletRequestWrapper {

		private final List<String> accept;

		Request(HttpServletRequest request, List<String> accept) {
			super(request);
			this.accept = accept;
		}

		@Override
		public String getHeader(String name) {
			if (HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
				return this.accept.isEmpty() ? null : this.accept.get(0);
			}
			return super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
				return Collections.enumeration(this.accept);
			}
			return super.getHeaders(name);
		}

		/** An {@code Accept} that lists nothing is no {@code Accept} at all. */
		@Override
		public Enumeration<String> getHeaderNames() {
			if (!this.accept.isEmpty()) {
				return super.getHeaderNames();
			}
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(HttpHeaders.ACCEPT::equalsIgnoreCase);
			return Collections.enumeration(names);
		}

	}

}
