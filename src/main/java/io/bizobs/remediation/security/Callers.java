package io.bizobs.remediation.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.web.ChangeRequest;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;

/**
 * The one check of which flags the current caller may change, for every kind of change.
 */
public final class Callers {

	private Callers() {
	}

	/**
	 * Returns the caller of the current request if it may change all of these flags.
	 * @throws ErrorResponseException 403 if it may not, or if the request has no caller at all
	 */
	public static Caller mayChange(Collection<String> flags) {
		Caller caller = current()
			.orElseThrow(() -> forbidden("The request has no authenticated caller, so it may not change flags"));
		if (!caller.mayWrite()) {
			throw forbidden(readOnly(caller));
		}
		List<String> refused = caller.refused(flags);
		if (!refused.isEmpty()) {
			throw forbidden("Key '" + caller.name() + "' may not change " + String.join(", ", refused)
					+ "; it may change " + String.join(", ", caller.flags().stream().sorted().toList()));
		}
		return caller;
	}

	/**
	 * Who asks for a change and why, from the request; refuses with 403 a caller that may not
	 * change these flags.
	 */
	public static ChangeContext changeContext(ChangeRequest body, Collection<String> flags,
			HttpServletRequest request) {
		Caller caller = mayChange(flags);
		String triggeredBy = (body.triggeredBy() != null && !body.triggeredBy().isBlank()) ? body.triggeredBy()
				: "manual";
		String problemId = (body.problemId() != null && !body.problemId().isBlank()) ? body.problemId() : null;
		return new ChangeContext(body.reason(), problemId, triggeredBy, caller.name(), request.getRemoteAddr());
	}

	/** The caller of the current request, as the security filter chain made it; empty outside a request. */
	public static Optional<Caller> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof Caller caller) ? Optional.of(caller)
				: Optional.empty();
	}

	static String readOnly(Caller caller) {
		return Caller.ANONYMOUS.equals(caller.name()) ? "An anonymous caller may read but not change flags"
				: "Key '" + caller.name() + "' may read but not change flags";
	}

	private static ErrorResponseException forbidden(String detail) {
		return new ErrorResponseException(HttpStatus.FORBIDDEN,
				ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail), null);
	}

}
