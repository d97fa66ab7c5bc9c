package io.bizobs.remediation.flags;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A change was refused because some entries are unknown or invalid; nothing was applied.
 */
public class InvalidFlagChangeException extends RuntimeException {

	private final List<Violation> violations;

	private final List<String> availableFlags;

	InvalidFlagChangeException(List<Violation> violations, List<String> availableFlags) {
		super(violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
		this.availableFlags = availableFlags;
	}

	/** Every bad entry of the request. */
	public List<Violation> violations() {
		return this.violations;
	}

	/** The declared flags when some requested flag is unknown, otherwise empty. */
	public List<String> availableFlags() {
		return this.availableFlags;
	}

	/**
	 * One bad entry.
	 *
	 * @param flag the flag name as requested
	 * @param message what is wrong with it
	 */
	public record Violation(String flag, String message) {
	}

}
