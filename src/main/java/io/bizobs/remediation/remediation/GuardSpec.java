package io.bizobs.remediation.remediation;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.web.StrictlyRead;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * What a change expects, and by when, as a request asks for it ({@code "guard": {…}}); every field
 * may be left out for its default ({@code remediation.guards.*}). At least one kind of evidence is
 * needed: the change's problem closing, or the journeys' error rate falling below a threshold.
 *
 * @param problemClosed the Dynatrace problem named by the change's {@code problemId} must be
 * {@code CLOSED}; by default whenever the change names a problem and Dynatrace is configured
 * @param errorRateBelow the journeys' error rate must fall below this
 * @param customer whose journeys count for the error rate; all customers' by default
 * @param settleSeconds no judgement before this many seconds after the change
 * @param withinSeconds the verdict comes at the latest this many seconds after the change
 * @param samples good samples in a row that verify the change
 * @param worseBy the error rate above the baseline by more than this is worse
 * @param worseSamples worse samples in a row that make the change {@code WORSENED}
 * @param minJourneys journeys a sample of the error rate needs to count as data
 * @param onNoEffect what to do with a change that did not heal by the deadline
 * @param onWorsened what to do with a change that made things worse
 * @param onInconclusive what to do with a change the evidence could not judge
 * @param stayClosedSeconds with {@code revertAfterSeconds}: a verified change is reverted only
 * once its problem has stayed closed this long
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardSpec(Boolean problemClosed,
		@DecimalMin("0.0") @DecimalMax("1.0") BigDecimal errorRateBelow, @Size(max = 200) String customer,
		@Min(0) @Max(86_400) Long settleSeconds, @Min(1) @Max(86_400) Long withinSeconds,
		@Min(1) @Max(100) Integer samples, @DecimalMin("0.0") @DecimalMax("1.0") BigDecimal worseBy,
		@Min(1) @Max(100) Integer worseSamples, @Min(1) @Max(100_000) Integer minJourneys, Policy onNoEffect,
		Policy onWorsened, Policy onInconclusive, @Min(0) @Max(604_800) Long stayClosedSeconds) implements StrictlyRead {
}
