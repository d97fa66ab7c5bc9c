package io.bizobs.remediation.safety;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.security.Caller;
import io.bizobs.remediation.security.Callers;
import io.bizobs.remediation.store.RampRow;
import io.bizobs.remediation.web.ChangeRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guide's "gradual feature rollback" of {@code errorRate}.
 */
@RestController
@Tag(name = "Error-rate ramp")
@RequestMapping("/api/remediation/error-rate")
class ErrorRateController {

	private final ErrorRateRamp ramp;

	ErrorRateController(ErrorRateRamp ramp) {
		this.ramp = ramp;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Ramp errorRate linearly to a target", description = "Replaces a running ramp")
	@ApiResponse(responseCode = "202")
	@ApiResponse(responseCode = "400", description = "Bad target or duration", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401", description = "No or wrong API key", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "The key may not change errorRate", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Loop guard", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ResponseStatus(HttpStatus.ACCEPTED)
	RampResponse start(@Valid @RequestBody RampRequest body, HttpServletRequest request) {
		ChangeContext context = Callers.changeContext(body, List.of(ErrorRateRamp.FLAG), request);
		RampRow started = this.ramp.start(body.targetRate(), Duration.ofSeconds(body.duration()), context);
		return new RampResponse(true, this.ramp.currentRate(), RampView.of(started));
	}

	@GetMapping
	@Operation(summary = "The current errorRate and the running or last ramp")
	RampResponse show() {
		return new RampResponse(true, this.ramp.currentRate(), this.ramp.latest().map(RampView::of).orElse(null));
	}

	@DeleteMapping
	@Operation(summary = "Stop the running ramp where it is")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "404", description = "No ramp is running", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	RampResponse stop(HttpServletRequest request) {
		Caller caller = Callers.mayChange(List.of(ErrorRateRamp.FLAG));
		RampRow stopped = this.ramp
			.stop(new ChangeContext(null, null, "manual", caller.name(), request.getRemoteAddr()))
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No error-rate ramp is running"), null));
		return new RampResponse(true, this.ramp.currentRate(), RampView.of(stopped));
	}

	/**
	 * Body of {@code POST /api/remediation/error-rate}.
	 *
	 * @param targetRate the rate to reach, 0.0 to 1.0
	 * @param duration seconds to get there, 0 to 86400
	 * @param reason why
	 * @param problemId the Dynatrace problem this answers
	 * @param triggeredBy what triggered it, {@code manual} when absent
	 */
	record RampRequest(@NotNull BigDecimal targetRate, @NotNull @Min(0) @Max(86_400) Long duration,
			@Size(max = 1000) String reason, @Size(max = 200) String problemId,
			@Size(max = 200) String triggeredBy) implements ChangeRequest {
	}

	record RampResponse(boolean ok, double errorRate, RampView ramp) {
	}

	record RampView(String id, double from, double to, long durationSeconds, Instant startedAt, Instant endsAt,
			String status, Instant finishedAt, Double finalRate, String reason, String problemId, String triggeredBy,
			String caller) {

		static RampView of(RampRow ramp) {
			return new RampView(ramp.id(), ramp.from(), ramp.to(),
					Duration.between(ramp.startedAt(), ramp.endsAt()).toSeconds(), ramp.startedAt(), ramp.endsAt(),
					ramp.status(), ramp.finishedAt(), ramp.finalRate(), ramp.reason(), ramp.problemId(),
					ramp.triggeredBy(), ramp.caller());
		}

	}

}
