package io.bizobs.remediation.web;

/**
 * What every request that changes something says about why. Who asks, and whether they may, is
 * the business of {@code security.Callers}; a body of this kind is read strictly
 * ({@link StrictJsonConfiguration}).
 */
public interface ChangeRequest extends StrictlyRead {

	String reason();

	String problemId();

	String triggeredBy();

}
