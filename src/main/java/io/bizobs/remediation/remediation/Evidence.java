package io.bizobs.remediation.remediation;

import io.bizobs.remediation.events.ProblemStatus;
import io.bizobs.remediation.simulator.JourneyStats;

/**
 * Where a guard's evidence comes from: the Dynatrace problem a change answered, and the journeys'
 * error rate from the service's own statistics.
 */
interface Evidence {

	/** Whether problems can be read at all (a Dynatrace environment is configured). */
	boolean problemsReadable();

	/** The problem's status; never fails, {@link ProblemStatus#unavailable()} says why it could not be read. */
	ProblemStatus problem(String problemId);

	/** The journeys of the statistics window, of one customer or of all ({@code null}). */
	JourneyStats.Figures journeys(String customer);

}
