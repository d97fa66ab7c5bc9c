package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.util.List;

import io.bizobs.remediation.flags.FeatureFlagService;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Serves {@code GET /api/remediation/feature-flags}, the read the simulator polls many times a
 * second, as the bytes {@link FlagsDocument} rendered for the current version. A plain servlet
 * rather than a controller method: measured, Spring MVC's dispatch cost about a third of the CPU
 * of every such read (docs/benchmarks.md). The servlet filters still apply, API keys included.
 */
final class FlagsDocumentServlet extends HttpServlet {

	static final String PATH = "/api/remediation/feature-flags";

	private static final List<String> ALLOWED = List.of("GET", "HEAD");

	private final transient FeatureFlagService flags;

	private final transient FlagsDocument document;

	private final transient HandlerExceptionResolver exceptionResolver;

	FlagsDocumentServlet(FeatureFlagService flags, FlagsDocument document,
			HandlerExceptionResolver exceptionResolver) {
		this.flags = flags;
		this.document = document;
		this.exceptionResolver = exceptionResolver;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		if (ALLOWED.contains(request.getMethod())) {
			super.service(request, response);
		}
		else {
			// The same problem answer as every other endpoint gives, rather than the servlet's page.
			this.exceptionResolver.resolveException(request, response, null,
					new HttpRequestMethodNotSupportedException(request.getMethod(), ALLOWED));
		}
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		FlagsDocument.Rendered rendered = this.document.of(this.flags.snapshot());
		if (new ServletWebRequest(request, response).checkNotModified(rendered.etag())) {
			return;
		}
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(rendered.json().length);
		response.getOutputStream().write(rendered.json());
	}

}
