package io.bizobs.remediation.events;

import java.time.Instant;

/**
 * What Dynatrace's Problems API v2 said of a problem, or why it could not be read.
 *
 * @param problemId the problem's internal id, or {@code null} when unknown
 * @param displayId its display id ({@code P-…}), or {@code null} when unknown
 * @param status {@code OPEN} or {@code CLOSED}, or {@code null} when it could not be read
 * @param endTime when it closed, or {@code null} while open or unknown
 * @param unavailable why it could not be read (no environment, unreachable, refused, not found),
 * or {@code null}
 * @param missing Dynatrace answered, and has no such problem: asking again will not change that
 */
public record ProblemStatus(String problemId, String displayId, String status, Instant endTime, String unavailable,
		boolean missing) {

	static ProblemStatus unavailable(String why) {
		return new ProblemStatus(null, null, null, null, why, false);
	}

	static ProblemStatus missing(String why) {
		return new ProblemStatus(null, null, null, null, why, true);
	}

	public boolean known() {
		return this.status != null;
	}

	public boolean closed() {
		return "CLOSED".equals(this.status);
	}

	public boolean open() {
		return "OPEN".equals(this.status);
	}

}
