package io.bizobs.remediation.remediation;

/**
 * What a guard expects of its change, every default filled in; stored with the guard.
 *
 * @param problemClosed the change's problem must be {@code CLOSED}
 * @param errorRateBelow the journeys' error rate must fall below this, or {@code null} when the
 * error rate is no evidence of healing (it still tells whether the change made things worse)
 * @param customer whose journeys count, or {@code null} for all
 * @param settleSeconds no judgement before this many seconds after the change
 * @param withinSeconds the verdict comes at the latest this many seconds after the change
 * @param samples good samples in a row that verify the change
 * @param worseBy the error rate above the baseline by more than this is worse
 * @param worseSamples worse samples in a row that make the change {@code WORSENED}
 * @param minJourneys journeys a sample of the error rate needs to count as data
 * @param onNoEffect what to do with a change that did not heal
 * @param onWorsened what to do with a change that made things worse
 * @param onInconclusive what to do with a change the evidence could not judge
 * @param stayClosedSeconds a verified change with a revert is reverted once its problem (or,
 * without one, the error rate) has stayed good this long
 */
public record Expectation(boolean problemClosed, Double errorRateBelow, String customer, long settleSeconds,
		long withinSeconds, int samples, double worseBy, int worseSamples, int minJourneys, Policy onNoEffect,
		Policy onWorsened, Policy onInconclusive, long stayClosedSeconds) {

	Policy policy(Verdict verdict) {
		return switch (verdict) {
			case NO_EFFECT -> this.onNoEffect;
			case WORSENED -> this.onWorsened;
			case INCONCLUSIVE -> this.onInconclusive;
			case VERIFIED, SUPERSEDED, STOPPED -> Policy.KEEP;
		};
	}

}
