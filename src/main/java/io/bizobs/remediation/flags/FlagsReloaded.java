package io.bizobs.remediation.flags;

/**
 * Published when the flags were read again from the database, after another replica changed
 * them.
 *
 * @param snapshot the flags as they are now
 */
public record FlagsReloaded(FlagSnapshot snapshot) {
}
