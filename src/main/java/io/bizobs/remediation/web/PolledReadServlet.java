package io.bizobs.remediation.web;

import java.io.IOException;
import java.util.Enumeration;
import java.util.List;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Serves a read that a fleet polls many times a second (the flag list, OFREP's evaluations,
 * flagd's source) as bytes rendered once per flags version. A plain servlet rather than a
 * controller method: measured, Spring MVC's dispatch (the handler lookup, for a variable path the
 * worst of it, and the choice of a message converter) cost a third to a half of the CPU of every
 * such read (docs/benchmarks.md). The servlet filters still apply, Spring Security's included,
 * and a method it does not serve gets the same problem answer as anywhere else.
 */
public final class PolledReadServlet extends HttpServlet {

	/** The start of the name of every such servlet, by which its requests are known. */
	private static final String NAME = "polled-read-";

	private final transient FeatureFlagService flags;

	private final List<String> methods;

	private final transient Reads reads;

	private final transient HandlerExceptionResolver exceptionResolver;

	/**
	 * @param method the one method it serves ({@code GET} serves {@code HEAD} too)
	 * @param reads the answers, per flags version
	 */
	public PolledReadServlet(FeatureFlagService flags, String method, Reads reads,
			HandlerExceptionResolver exceptionResolver) {
		this.flags = flags;
		this.methods = method.equals("GET") ? List.of("GET", "HEAD") : List.of(method);
		this.reads = reads;
		this.exceptionResolver = exceptionResolver;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		if (!this.methods.contains(request.getMethod())) {
			this.exceptionResolver.resolveException(request, response, null,
					new HttpRequestMethodNotSupportedException(request.getMethod(), this.methods));
			return;
		}
		Answer answer = this.reads.answer(this.flags.snapshot(), request.getServletPath());
		// Revalidated every time, and kept by no shared cache: where reads need a key, a cache
		// would not know the answer was given to one.
		response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
		if (answer.etag() != null) {
			response.setHeader(HttpHeaders.ETAG, answer.etag());
			// Also on a POST (OFREP's rule, where HTTP's for unsafe methods would be a 412).
			if (matches(request.getHeaders(HttpHeaders.IF_NONE_MATCH), answer.etag())) {
				response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
				return;
			}
		}
		response.setStatus(answer.status());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(answer.json().length);
		if (!request.getMethod().equals("HEAD")) {
			response.getOutputStream().write(answer.json());
		}
	}

	/** The servlet registered under a name that marks its requests as polled reads, at these paths. */
	public ServletRegistrationBean<PolledReadServlet> at(String name, String... paths) {
		ServletRegistrationBean<PolledReadServlet> registration = new ServletRegistrationBean<>(this, paths);
		registration.setName(NAME + name);
		return registration;
	}

	/**
	 * Whether a request is served by such a servlet: known as soon as the container has mapped it,
	 * before any filter runs.
	 */
	public static boolean serves(HttpServletRequest request) {
		HttpServletMapping mapping = request.getHttpServletMapping();
		return mapping != null && mapping.getServletName() != null && mapping.getServletName().startsWith(NAME);
	}

	/**
	 * A polled read as an operation of the API document, which learns only of controllers by
	 * itself: its JSON answer and, where it has an ETag, the 304.
	 * @param body the answer's type, whose schema (named {@code schema}) is added to the document
	 */
	public static Operation operation(OpenAPI openApi, String tag, String id, String summary, String description,
			boolean etag, Class<?> body, String schema) {
		ApiResponses responses = new ApiResponses().addApiResponse("200", answer(openApi, "OK", body, schema));
		if (etag) {
			responses.addApiResponse("304", new ApiResponse().description("Not modified since the ETag given"));
		}
		return new Operation().addTagsItem(tag)
			.operationId(id)
			.summary(summary)
			.description(description)
			.responses(responses);
	}

	/** A JSON answer of that type, whose schema (named {@code schema}) is added to the document. */
	public static ApiResponse answer(OpenAPI openApi, String description, Class<?> body, String schema) {
		ModelConverters.getInstance(true).readAll(body).forEach(openApi.getComponents()::addSchemas);
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(MediaType.APPLICATION_JSON_VALUE,
					new io.swagger.v3.oas.models.media.MediaType().schema(new Schema<>().$ref(schema))));
	}

	/** Whether any of the {@code If-None-Match} headers, each a list, names the ETag or is {@code *}. */
	private static boolean matches(Enumeration<String> ifNoneMatch, String etag) {
		while (ifNoneMatch.hasMoreElements()) {
			for (String tag : ifNoneMatch.nextElement().split(",")) {
				String candidate = tag.trim();
				if (candidate.startsWith("W/")) {
					candidate = candidate.substring(2);
				}
				if (candidate.equals("*") || candidate.equals(etag)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The answers of a read, for a version of the flags. */
	@FunctionalInterface
	public interface Reads {

		/**
		 * @param path the request's path, decoded: the servlet's mapping it matched exactly
		 */
		Answer answer(FlagSnapshot snapshot, String path);

	}

	/**
	 * @param status the HTTP status
	 * @param json the body
	 * @param etag its entity tag, which a matching {@code If-None-Match} turns into a 304, or
	 * {@code null}
	 */
	public record Answer(int status, byte[] json, String etag) {

		public static Answer ok(byte[] json, String etag) {
			return new Answer(HttpServletResponse.SC_OK, json, etag);
		}

	}

}
