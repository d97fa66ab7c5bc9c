package io.bizobs.remediation.events;

/**
 * Dynatrace problems as evidence: whether the problem a change answered is still open. Reads go
 * to the environment events go to, with the same token, which needs {@code problems.read}
 * (classic) or {@code environment-api:problems:read} (platform); comments are posted through the
 * outbox and need {@code problems.write} or {@code environment-api:problems:write}.
 */
public final class Problems {

	private final DynatraceClient client;

	/** @param client the Dynatrace client, or {@code null} when no environment is configured */
	Problems(DynatraceClient client) {
		this.client = client;
	}

	/** Whether a Dynatrace environment is configured at all. */
	public boolean enabled() {
		return this.client != null;
	}

	/**
	 * The status of a problem, by its internal id (a workflow's {@code event.id}) or its display id
	 * ({@code P-…}); never fails for anything Dynatrace or the network does.
	 */
	public ProblemStatus status(String problemId) {
		if (this.client == null) {
			return ProblemStatus.unavailable("No Dynatrace environment is configured (DT_ENVIRONMENT)");
		}
		return this.client.problem(problemId).join();
	}

}
