package io.bizobs.remediation.flags;

import java.util.List;

/**
 * A flag was asked for by a name that is not declared.
 */
public class UnknownFlagException extends RuntimeException {

	private final List<String> availableFlags;

	UnknownFlagException(String flag, List<String> availableFlags) {
		super("Unknown flag '" + flag + "'");
		this.availableFlags = availableFlags;
	}

	public List<String> availableFlags() {
		return this.availableFlags;
	}

}
