package io.bizobs.remediation.web;

/**
 * A request body, or a part of one, read strictly ({@link StrictJsonConfiguration}): a field it
 * does not know is refused rather than ignored, so a misspelt setting never goes unnoticed.
 */
public interface StrictlyRead {

}
