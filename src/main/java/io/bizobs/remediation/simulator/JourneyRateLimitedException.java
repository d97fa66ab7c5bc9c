package io.bizobs.remediation.simulator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A journey was refused because {@code rateLimitingEnabled} is on and the rate is reached: 429,
 * to be tried again in a second.
 */
public class JourneyRateLimitedException extends ErrorResponseException {

	JourneyRateLimitedException(int limitPerSecond) {
		super(HttpStatus.TOO_MANY_REQUESTS, ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"Rate limiting is on: at most " + limitPerSecond + " journeys per second"), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
	}

}
