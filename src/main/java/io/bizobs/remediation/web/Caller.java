package io.bizobs.remediation.web;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Who made a request: an API key's name, or {@code anonymous}.
 *
 * @param name shown in the audit and the log
 * @param canWrite whether it may change flags
 * @param flags the flags it may change; empty means all
 */
record Caller(String name, boolean canWrite, Set<String> flags) {

	static final String ATTRIBUTE = Caller.class.getName();

	static final Caller ANONYMOUS_READER = new Caller("anonymous", false, Set.of());

	/** A caller without a key where none is configured: writes are allowed from loopback only. */
	static final Caller ANONYMOUS_LOCAL = new Caller("anonymous", true, Set.of());

	static Caller of(HttpServletRequest request) {
		Caller caller = (Caller) request.getAttribute(ATTRIBUTE);
		return (caller != null) ? caller : ANONYMOUS_READER;
	}

	/**
	 * Refuses with 403 a change of any flag this caller may not change.
	 */
	void checkMayChange(Collection<String> requestedFlags) {
		if (this.flags.isEmpty()) {
			return;
		}
		List<String> refused = requestedFlags.stream().filter((flag) -> !this.flags.contains(flag)).toList();
		if (!refused.isEmpty()) {
			throw new ErrorResponseException(HttpStatus.FORBIDDEN,
					ApiExceptionHandler.problem(HttpStatus.FORBIDDEN, "Key '" + this.name + "' may not change "
							+ String.join(", ", refused) + "; it may change " + String.join(", ", this.flags)),
					null);
		}
	}

}
