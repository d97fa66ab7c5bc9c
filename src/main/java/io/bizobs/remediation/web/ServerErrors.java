package io.bizobs.remediation.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The errors that never reach a controller are problems too, never an HTML page: those the
 * container reports through its error page ({@code sendError}, such as a refused {@code TRACE}),
 * and those Tomcat answers before the application sees the request (a malformed request line,
 * {@code %00} or {@code %2F} in the path, headers over its limit).
 */
@Configuration(proxyBeanMethods = false)
class ServerErrors {

	@Bean
	TomcatContextCustomizer problemErrorReports() {
		return (context) -> {
			Host host = (Host) context.getParent();
			if (host instanceof StandardHost standardHost) {
				standardHost.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		};
	}

	/** The error page: renders through the same advice as every other error. */
	@RestController
	static class ErrorPage implements ErrorController {

		@RequestMapping("${server.error.path:/error}")
		void error(HttpServletRequest request) {
			Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			// Asked for as a path of its own, rather than dispatched to with an error, it is no resource.
			HttpStatus status = (code == null) ? HttpStatus.NOT_FOUND
					: (code instanceof Integer value && HttpStatus.resolve(value) != null) ? HttpStatus.valueOf(value)
							: HttpStatus.INTERNAL_SERVER_ERROR;
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
			if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
				try {
					problem.setInstance(URI.create(uri));
				}
				catch (IllegalArgumentException ex) {
					// Not a URI: the problem goes without its instance.
				}
			}
			throw new ErrorResponseException(status, problem, null);
		}

	}

	static String detail(HttpStatus status) {
		return switch (status) {
			case BAD_REQUEST -> "The request could not be read: its request line, URL or headers are malformed or too large";
			case METHOD_NOT_ALLOWED -> "This method is not allowed here";
			default -> "The request was refused: " + status.getReasonPhrase();
		};
	}

	/**
	 * Tomcat's own error report, written as a problem. What it writes comes from the status
	 * alone, never from the request.
	 */
	public static class ProblemReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int code = response.getStatus();
			if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			AtomicBoolean ioAllowed = new AtomicBoolean(true);
			response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
			if (!ioAllowed.get()) {
				return;
			}
			HttpStatus status = HttpStatus.resolve(code);
			String title = (status != null) ? status.getReasonPhrase() : "Error";
			String detail = (status != null) ? detail(status) : "The request was refused";
			String json = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code + ",\"detail\":\""
					+ detail + "\",\"ok\":false,\"error\":\"" + detail + "\"}";
			try {
				response.setContentType("application/problem+json");
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(json);
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client is gone or the response is no longer writable: nothing to tell.
			}
		}

	}

}
