package io.bizobs.remediation.dynatrace;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the DQL matcher of workflow triggers that the custom filters use, evaluated on a
 * problem event: clauses joined by {@code and}, each a comparison of a field with a string or
 * {@code matchesPhrase}. That matcher has no numeric operators (Dynatrace's "DQL matcher in
 * workflow event triggers"), so a filter using anything else fails the test rather than a
 * tenant's import.
 */
final class ProblemFilter {

	private static final Pattern EQUALS = Pattern.compile("([\\w.]+)\\s*(==|!=)\\s*\"([^\"]*)\"");

	private static final Pattern MATCHES_PHRASE = Pattern.compile("matchesPhrase\\(([\\w.]+),\\s*\"([^\"]*)\"\\)");

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
			return value != null && Collections.indexOfSubList(words(value.toString()), words(matcher.group(2))) >= 0;
		}
		throw new AssertionError("A filter clause the trigger matcher does not take: " + clause);
	}

	/** A phrase matches whole words, whatever their case. */
	private static List<String> words(String text) {
		return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{Alnum}]+")).filter((word) -> !word.isEmpty()).toList();
	}

}
