package io.bizobs.remediation.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who makes a request: the principal of every request that passed the security filter chain.
 *
 * @param name a key's name, or {@code anonymous}; shown in the audit and the log
 * @param mayWrite whether it may change anything
 * @param flags the flags it may change; empty means all
 */
public record Caller(String name, boolean mayWrite, Set<String> flags) {

	static final String ANONYMOUS = "anonymous";

	static Caller anonymous(boolean mayWrite) {
		return new Caller(ANONYMOUS, mayWrite, Set.of());
	}

	/** The requested flags outside this caller's scope, in request order. */
	List<String> refused(Collection<String> requested) {
		return this.flags.isEmpty() ? List.of() : requested.stream().filter((flag) -> !this.flags.contains(flag)).toList();
	}

}
