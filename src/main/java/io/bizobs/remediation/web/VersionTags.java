package io.bizobs.remediation.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The flags' version as an HTTP entity tag, {@code "17"}, in both directions.
 */
public final class VersionTags {

	private VersionTags() {
	}

	/** The entity tag of a version. */
	public static String of(long version) {
		return "\"" + version + "\"";
	}

	/**
	 * Returns the version in {@code "17"} (also {@code W/"17"} or a bare {@code 17}), or
	 * {@code null} when there is no condition ({@code *} or no header).
	 */
	public static Long version(String header) {
		if (header == null || header.isBlank() || header.trim().equals("*")) {
			return null;
		}
		String tag = header.trim();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
			tag = tag.substring(1, tag.length() - 1);
		}
		try {
			return Long.parseLong(tag);
		}
		catch (NumberFormatException ex) {
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ApiExceptionHandler.problem(HttpStatus.BAD_REQUEST,
					"If-Match must name a flags version, as in If-Match: \"17\""), ex);
		}
	}

}
