package io.bizobs.remediation.flags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of a change, as the earlier app wrote them: what changed, why, and who asked.
 */
final class ChangeLog {

	/** Under the service's name, where operators and their log filters have always found them. */
	private static final Logger logger = LoggerFactory.getLogger(FeatureFlagService.class);

	private ChangeLog() {
	}

	static void log(FlagChangeOutcome outcome, ChangeContext context) {
		for (FlagChange change : outcome.changes()) {
			if (change.changed()) {
				logger.info("[Remediation] Feature flag changed: {} = {} → {}", change.flag(), change.previousValue(),
						change.newValue());
			}
		}
		logger.info("[Remediation] Reason: {}", printable(context.reason()));
		String problem = (context.problemId() != null) ? "problem " + printable(context.problemId()) + ", " : "";
		String revert = (outcome.revertAt() != null) ? ", reverting at " + outcome.revertAt() : "";
		logger.info("[Remediation] Triggered by: {} ({}caller {}{})", printable(context.triggeredBy()), problem,
				context.caller(), revert);
	}

	/** Keeps caller-supplied text on one log line, so it cannot forge log entries. */
	private static String printable(String text) {
		if (text == null || text.isBlank()) {
			return "(none)";
		}
		return text.replaceAll("\\p{Cntrl}", " ");
	}

}
