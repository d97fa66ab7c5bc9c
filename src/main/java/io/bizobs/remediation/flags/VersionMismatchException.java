package io.bizobs.remediation.flags;

/**
 * A conditional change named a version the flags are no longer at; nothing was applied.
 */
public class VersionMismatchException extends RuntimeException {

	private final long currentVersion;

	VersionMismatchException(long expectedVersion, long currentVersion) {
		super("Flags are at version " + currentVersion + ", not " + expectedVersion);
		this.currentVersion = currentVersion;
	}

	public long currentVersion() {
		return this.currentVersion;
	}

}
