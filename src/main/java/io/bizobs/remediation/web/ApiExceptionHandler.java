package io.bizobs.remediation.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.bizobs.remediation.flags.ChangeRateExceededException;
import io.bizobs.remediation.flags.InvalidFlagChangeException;
import io.bizobs.remediation.flags.UnknownFlagException;
import io.bizobs.remediation.flags.VersionMismatchException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem that also carries the earlier app's
 * {@code "ok": false} and {@code "error"} fields, which existing workflows read.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	static ProblemDetail problem(HttpStatus status, String detail) {
		return ProblemDetail.forStatusAndDetail(status, detail);
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidChange(InvalidFlagChangeException ex, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid flag change");
		problem.setProperty("errors", ex.violations());
		if (!ex.availableFlags().isEmpty()) {
			problem.setProperty("availableFlags", ex.availableFlags());
		}
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownFlag(UnknownFlagException ex, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Unknown flag");
		problem.setProperty("availableFlags", ex.availableFlags());
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.NOT_FOUND, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> versionMismatch(VersionMismatchException ex, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.PRECONDITION_FAILED, ex.getMessage());
		problem.setProperty("version", ex.currentVersion());
		HttpHeaders headers = new HttpHeaders();
		headers.setETag(VersionTags.of(ex.currentVersion()));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.PRECONDITION_FAILED, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> tooManyChanges(ChangeRateExceededException ex, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
		problem.setTitle("Loop guard");
		long seconds = Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
		problem.setProperty("retryAfterSeconds", seconds);
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.TOO_MANY_REQUESTS, request);
	}

	/** Tomcat parses the query string only when a parameter is first read, and refuses a malformed one then. */
	@ExceptionHandler
	ResponseEntity<Object> malformedQuery(InvalidParameterException ex, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST,
				"The query string is malformed: a bad %-escape, or a parameter without a name");
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> storageFailure(DataAccessException ex, WebRequest request) {
		logger.error("The flag store failed; the request was not applied", ex);
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE,
				"The flag store is unavailable; nothing was changed");
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	/**
	 * The database went away around a transaction: it could not begin (no connection), or its
	 * commit or rollback failed. A failed commit leaves the change stored whole or not at all,
	 * and the answer says so rather than claim either.
	 */
	@ExceptionHandler
	ResponseEntity<Object> transactionFailure(TransactionException ex, WebRequest request) {
		logger.error("The flag store failed around a transaction", ex);
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, (ex instanceof TransactionSystemException)
				? "The flag store became unavailable while the change was being stored: it is stored whole or not "
						+ "at all; read the flags or the audit before trying again"
				: "The flag store is unavailable; nothing was changed");
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		logger.error("Unexpected error", ex);
		ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error");
		return handleExceptionInternal(ex, problem, HttpHeaders.EMPTY, HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getFieldErrors()
			.stream()
			.map((error) -> Map.of("field", error.getField(), "message", message(error)))
			.toList();
		String detail = String.join("; ",
				errors.stream().map((error) -> error.get("field") + " " + error.get("message")).toList());
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String message(FieldError error) {
		String message = error.getDefaultMessage();
		return (message != null) ? message : "is invalid";
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, notReadableDetail(ex));
		problem.setTitle("Malformed request body");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String notReadableDetail(HttpMessageNotReadableException ex) {
		if (ex.getCause() instanceof UnrecognizedPropertyException unknown) {
			return "Unknown field '" + unknown.getPropertyName() + "'; the known fields are "
					+ unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
		}
		if (ex.getCause() instanceof DatabindException databind) {
			if (databind.getPath().isEmpty()) {
				return "The request body must be a JSON object";
			}
			String field = databind.getPath()
				.stream()
				.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
						: "[" + reference.getIndex() + "]")
				.collect(Collectors.joining("."));
			return "Field '" + field + "' has the wrong type or format";
		}
		if (ex.getCause() instanceof JacksonException jackson) {
			return "The request body is not valid JSON: " + withoutLibraryNames(jackson.getOriginalMessage());
		}
		return "The request body is missing";
	}

	/**
	 * Jackson names where a limit is set ({@code from `StreamReadConstraints.getMaxNestingDepth()`}):
	 * of no use to a caller, and what a caller may see of the service's insides is kept small.
	 */
	private static String withoutLibraryNames(String message) {
		return message.replaceAll(",? ?from `[^`]*`", "").replace('`', '\'');
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))
			.collect(Collectors.joining("; "));
		return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, detail), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		String detail = "Parameter '" + name + "' has the wrong format"
				+ (Instant.class.equals(ex.getRequiredType()) ? "; use ISO-8601, as in 2026-11-24T10:00:00Z" : "");
		return handleExceptionInternal(ex, problem(HttpStatus.BAD_REQUEST, detail), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	@Override
	protected ResponseEntity<Object> handleAsyncRequestTimeoutException(AsyncRequestTimeoutException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE,
				"No answer within spring.mvc.async.request-timeout; what was started goes on to its end");
		problem.setTitle("Answer took too long");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			problem.setProperty("ok", false);
			problem.setProperty("error", (problem.getDetail() != null) ? problem.getDetail() : problem.getTitle());
		}
		return response;
	}

}
