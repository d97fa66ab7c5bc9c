package io.bizobs.remediation.remediation;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Guarded changes: the ones being watched, and the recent verdicts with their evidence.
 */
@RestController
@RequestMapping("/api/remediation/guards")
@Tag(name = "Guarded changes")
class GuardController {

	private final Guards guards;

	GuardController(Guards guards) {
		this.guards = guards;
	}

	@GetMapping
	@Operation(summary = "Guards, newest first", description = "open=true: only those watching, or holding a verified change's revert")
	GuardsResponse list(@RequestParam(defaultValue = "false") boolean open,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		List<GuardView> guards = this.guards.list(open, limit);
		return new GuardsResponse(true, guards.size(), guards);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One guard: what it watches and expects, its samples, verdict, evidence and action")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "404", description = "No such guard", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	GuardResponse guard(@PathVariable String id) {
		return this.guards.find(id)
			.map((guard) -> new GuardResponse(true, guard))
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No guard " + id), null));
	}

	record GuardsResponse(boolean ok, int count, List<GuardView> guards) {
	}

	record GuardResponse(boolean ok, GuardView guard) {
	}

}
