package io.bizobs.remediation.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every refusal of the security filter chain, answered as the same problem document as every
 * other error: the firewall's, a missing or wrong key, a key that may not, too many wrong keys.
 */
final class SecurityProblems
		implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler, RequestRejectedHandler {

	private static final Logger logger = LoggerFactory.getLogger(SecurityProblems.class);

	/** The scheme Dynatrace's own tokens use; Bearer and X-API-Key are accepted as well. */
	private static final String CHALLENGE = "Api-Token";

	private final HandlerExceptionResolver exceptionResolver;

	private final boolean keysConfigured;

	SecurityProblems(HandlerExceptionResolver exceptionResolver, boolean keysConfigured) {
		this.exceptionResolver = exceptionResolver;
		this.keysConfigured = keysConfigured;
	}

	/** An anonymous caller asked for something that needs a key. */
	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) {
		if (!this.keysConfigured) {
			render(request, response, refusal(HttpStatus.FORBIDDEN, "No API key is configured, so changes are "
					+ "accepted only from the service's own host, addressed as localhost, 127.0.0.1 or [::1], and not "
					+ "from a web page of another origin; set REMEDIATION_API_KEY to allow others"));
			return;
		}
		render(request, response, unauthorized("An API key is required: send Authorization: Api-Token <key>, "
				+ "Authorization: Bearer <key> or X-API-Key: <key>"));
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) {
		if (exception instanceof FailedKeyAttempts.TooManyFailedKeysException tooMany) {
			long seconds = Math.max(1, tooMany.retryAfter().plusMillis(999).toSeconds());
			ErrorResponseException refusal = refusal(HttpStatus.TOO_MANY_REQUESTS,
					tooMany.getMessage() + "; try again in " + seconds + " s (a valid key is accepted meanwhile)");
			refusal.getBody().setProperty("retryAfterSeconds", seconds);
			refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			render(request, response, refusal);
			return;
		}
		render(request, response, unauthorized("The API key is not valid"));
	}

	/** A caller with a key, or an anonymous one where none is needed, asked for more than it may. */
	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String detail = (authentication != null && authentication.getPrincipal() instanceof Caller caller
				&& !caller.mayWrite()) ? Callers.readOnly(caller) : "This caller may not do this";
		render(request, response, refusal(HttpStatus.FORBIDDEN, detail));
	}

	/** The firewall's refusal: its message may quote the request, so only the log has it. */
	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			RequestRejectedException requestRejectedException) {
		logger.debug("Request rejected by the firewall: {}", requestRejectedException.getMessage());
		render(request, response, refusal(HttpStatus.BAD_REQUEST, "The request was refused: its method, URL or headers "
				+ "hold something this service never accepts (such as a ';', an encoded '/', '\\', '.' or '%', '//', "
				+ "'..', or a control character)"));
	}

	private static ErrorResponseException unauthorized(String detail) {
		ErrorResponseException refusal = refusal(HttpStatus.UNAUTHORIZED, detail);
		refusal.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		return refusal;
	}

	private static ErrorResponseException refusal(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	private void render(HttpServletRequest request, HttpServletResponse response, ErrorResponseException refusal) {
		this.exceptionResolver.resolveException(request, response, null, refusal);
	}

}
