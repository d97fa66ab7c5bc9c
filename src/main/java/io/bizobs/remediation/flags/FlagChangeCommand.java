package io.bizobs.remediation.flags;

import java.util.Map;

/**
 * A request to set one or more flags, applied all or nothing.
 *
 * @param values the new values by flag name, as parsed from JSON, in request order
 * @param type single or bulk
 * @param context who and why
 * @param dryRun validate and answer, but change nothing
 * @param expectedVersion apply only if the flags are still at this version, or {@code null}
 */
public record FlagChangeCommand(Map<String, Object> values, ChangeType type, ChangeContext context, boolean dryRun,
		Long expectedVersion) {
}
