package io.bizobs.remediation.simulator;

/**
 * A journey was refused because {@code rateLimitingEnabled} is on and the rate is reached.
 */
public class JourneyRateLimitedException extends RuntimeException {

	private final int limitPerSecond;

	JourneyRateLimitedException(int limitPerSecond) {
		super("Rate limiting is on: at most " + limitPerSecond + " journeys per second");
		this.limitPerSecond = limitPerSecond;
	}

	public int limitPerSecond() {
		return this.limitPerSecond;
	}

}
