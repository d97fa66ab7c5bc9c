package io.bizobs.remediation.dynatrace;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of DQL that the triggers' custom filters use, evaluated on a problem event: clauses
 * joined by {@code and}, each a comparison of a field with a string, {@code matchesPhrase}, or
 * {@code arraySize} compared with a number. A filter using anything else fails the test, so the
 * filters stay within what this stand-in can judge.
 */
final class ProblemFilter {

	private static final Pattern EQUALS = Pattern.compile("([\\w.]+)\\s*(==|!=)\\s*\"([^\"]*)\"");

	private static final Pattern MATCHES_PHRASE = Pattern.compile("matchesPhrase\\(([\\w.]+),\\s*\"([^\"]*)\"\\)");

	private static final Pattern ARRAY_SIZE = Pattern.compile("arraySize\\(([\\w.]+)\\)\\s*(<=|>=|<|>|==)\\s*(\\d+)");

	private ProblemFilter() {
	}

	static boolean matches(String filter, Map<String, Object> problem) {
		for (String clause : filter.trim().split("\\s+and\\s+")) {
			if (!clause(clause.trim(), problem)) {
				return false;
			}
		}
		return true;
	}

	private static boolean clause(String clause, Map<String, Object> problem) {
		Matcher matcher = EQUALS.matcher(clause);
		if (matcher.matches()) {
			boolean equal = Objects.equals(problem.get(matcher.group(1)), matcher.group(3));
			return matcher.group(2).equals("==") == equal;
		}
		matcher = MATCHES_PHRASE.matcher(clause);
		if (matcher.matches()) {
			Object value = problem.get(matcher.group(1));
			return value != null && value.toString()
				.toLowerCase(Locale.ROOT)
				.contains(matcher.group(2).toLowerCase(Locale.ROOT));
		}
		matcher = ARRAY_SIZE.matcher(clause);
		if (matcher.matches()) {
			int size = ((Collection<?>) problem.getOrDefault(matcher.group(1), List.of())).size();
			int bound = Integer.parseInt(matcher.group(3));
			return switch (matcher.group(2)) {
				case "<" -> size < bound;
				case "<=" -> size <= bound;
				case ">" -> size > bound;
				case ">=" -> size >= bound;
				default -> size == bound;
			};
		}
		throw new AssertionError("A filter clause this stand-in cannot judge: " + clause);
	}

}
