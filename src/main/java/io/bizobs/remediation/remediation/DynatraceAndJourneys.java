package io.bizobs.remediation.remediation;

import io.bizobs.remediation.events.ProblemStatus;
import io.bizobs.remediation.events.Problems;
import io.bizobs.remediation.simulator.JourneyStats;

import org.springframework.stereotype.Component;

/**
 * The evidence as it is: Dynatrace's Problems API, through the events' client and settings, and
 * the simulator's statistics window.
 */
@Component
class DynatraceAndJourneys implements Evidence {

	private final Problems problems;

	private final JourneyStats journeys;

	DynatraceAndJourneys(Problems problems, JourneyStats journeys) {
		this.problems = problems;
		this.journeys = journeys;
	}

	@Override
	public boolean problemsReadable() {
		return this.problems.enabled();
	}

	@Override
	public ProblemStatus problem(String problemId) {
		return this.problems.status(problemId);
	}

	@Override
	public JourneyStats.Figures journeys(String customer) {
		return this.journeys.figures(customer);
	}

}
