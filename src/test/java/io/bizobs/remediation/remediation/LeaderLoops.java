package io.bizobs.remediation.remediation;

import org.springframework.context.ApplicationContext;

/**
 * The leader's loops of guards and runs, for tests outside this package that move the clock
 * themselves: one look at every guard, then every run moved on, as the loops do every
 * {@code sample-interval}.
 */
public final class LeaderLoops {

	private LeaderLoops() {
	}

	public static void sample(ApplicationContext context) {
		context.getBean(GuardWatcher.class).sampleAll();
		context.getBean(RunDriver.class).driveAll();
	}

}
