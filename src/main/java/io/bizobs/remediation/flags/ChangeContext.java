package io.bizobs.remediation.flags;

/**
 * Who asks for a change and why; recorded in the audit and sent with the Dynatrace event.
 *
 * @param reason why, free text
 * @param problemId the Dynatrace problem the change answers, if any
 * @param triggeredBy what triggered it ({@code manual}, {@code dynatrace_workflow}, …)
 * @param caller the authenticated caller, or {@code anonymous}
 * @param remoteAddress where the request came from
 */
public record ChangeContext(String reason, String problemId, String triggeredBy, String caller,
		String remoteAddress) {

	/**
	 * A text the service writes about a change itself (a reason, a summary, an event's property),
	 * cut to fit where it goes, saying that it was cut.
	 */
	public static String cut(String text, int max) {
		return (text.length() > max) ? text.substring(0, max - 1) + "…" : text;
	}

}
