package io.bizobs.remediation.web;

import java.util.Collection;

import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.security.Caller;
import io.bizobs.remediation.security.Callers;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What every request that changes something says about who and why.
 */
public interface ChangeRequest {

	String reason();

	String problemId();

	String triggeredBy();

	/**
	 * Who asks and why, from the request; refuses with 403 a caller that may not change these
	 * flags.
	 */
	default ChangeContext context(Collection<String> flags, HttpServletRequest request) {
		Caller caller = Callers.mayChange(flags);
		String triggeredBy = (triggeredBy() != null && !triggeredBy().isBlank()) ? triggeredBy() : "manual";
		String problemId = (problemId() != null && !problemId().isBlank()) ? problemId() : null;
		return new ChangeContext(reason(), problemId, triggeredBy, caller.name(), request.getRemoteAddr());
	}

}
