package io.bizobs.remediation.remediation;

/**
 * Thrown inside a transaction that finds its work done already, by another replica or an earlier
 * call, so that what it wrote rolls back; caught by whoever started the transaction.
 */
final class AlreadyDone extends RuntimeException {

	AlreadyDone() {
		super(null, null, false, false);
	}

}
