package io.bizobs.remediation.flags;

/**
 * Which way of a flag injects a fault into the journeys, so that a revert that would turn a fault
 * back on can be told from one that would not: a guard never makes such a revert while the
 * problem its change answered is open.
 */
public enum Fault {

	/** Neither way is a fault. */
	NONE,

	/** {@code true} is the fault (error injection, slow responses). */
	WHEN_TRUE,

	/** {@code false} is the fault (the circuit breaker or the cache off). */
	WHEN_FALSE,

	/** A higher value is more fault (the error rate, the canary's share). */
	HIGHER,

	/** A lower value is more fault. */
	LOWER;

	/** Whether going from one value to another moves towards the fault. */
	public boolean towards(Object from, Object to) {
		return switch (this) {
			case NONE -> false;
			case WHEN_TRUE -> Boolean.TRUE.equals(to) && !Boolean.TRUE.equals(from);
			case WHEN_FALSE -> Boolean.FALSE.equals(to) && !Boolean.FALSE.equals(from);
			case HIGHER -> compare(to, from) > 0;
			case LOWER -> compare(to, from) < 0;
		};
	}

	private static int compare(Object a, Object b) {
		return (a instanceof Number x && b instanceof Number y) ? Double.compare(x.doubleValue(), y.doubleValue()) : 0;
	}

}
