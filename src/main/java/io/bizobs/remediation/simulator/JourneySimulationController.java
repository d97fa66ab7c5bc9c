package io.bizobs.remediation.simulator;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.bizobs.remediation.web.Clients;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The BizObs journey simulator, with the earlier app's request body.
 */
@RestController
@Tag(name = "Journey simulator")
@RequestMapping("/api/journey-simulation")
class JourneySimulationController {

	private final JourneySimulator simulator;

	private final JourneyStats stats;

	private final JourneyAdmission admission;

	JourneySimulationController(JourneySimulator simulator, JourneyStats stats, JourneyAdmission admission) {
		this.simulator = simulator;
		this.stats = stats;
		this.admission = admission;
	}

	@PostMapping(path = "/simulate-journey", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Run one simulated BizObs journey")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "400", description = "No company, or too many steps", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Rate limiting is on and the rate is reached, or this client without a key started too many this second", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503", description = "As many journeys under way as allowed", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	CompletableFuture<JourneyResponse> simulate(@Valid @RequestBody SimulateRequest body, HttpServletRequest request) {
		Journey journey = body.toJourney();
		Runnable ended = this.admission.admit(Clients.hasKey(request) ? null : Clients.of(request.getRemoteAddr()));
		try {
			return this.simulator.run(journey)
				.whenComplete((result, failure) -> ended.run())
				.thenApply((result) -> new JourneyResponse(true, result));
		}
		catch (RuntimeException ex) {
			ended.run();
			throw ex;
		}
	}

	@GetMapping("/stats")
	@Operation(summary = "Journeys, failures and latencies of the last 60 s")
	StatsResponse stats() {
		return new StatsResponse(true, this.stats.window());
	}

	record JourneyResponse(boolean success, JourneyResult journey) {
	}

	record StatsResponse(boolean ok, JourneyStats.Window stats) {
	}

	/**
	 * The earlier app's body: the company in {@code journey.companyName}, or at the top level as
	 * {@code companyName} or {@code customerName}.
	 */
	record SimulateRequest(@Size(max = 200) String journeyId, @Size(max = 200) String customerId,
			@Valid JourneyBody journey, @Size(max = 200) String companyName, @Size(max = 200) String customerName) {

		Journey toJourney() {
			String company = firstOf((this.journey != null) ? this.journey.companyName() : null, this.companyName,
					this.customerName);
			if (company == null) {
				throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ProblemDetail.forStatusAndDetail(
						HttpStatus.BAD_REQUEST, "journey.companyName (or companyName, or customerName) is required"),
						null);
			}
			List<Journey.Step> steps = (this.journey == null || this.journey.steps() == null
					|| this.journey.steps().isEmpty()) ? Journey.DEFAULT_STEPS
							: this.journey.steps()
								.stream()
								.map((step) -> new Journey.Step(step.stepName(), step.serviceName()))
								.toList();
			return new Journey(this.journeyId, this.customerId, company, steps);
		}

		private static String firstOf(String... names) {
			for (String name : names) {
				if (name != null && !name.isBlank()) {
					return name.trim();
				}
			}
			return null;
		}

	}

	record JourneyBody(@Size(max = 200) String companyName, @Size(max = 200) String domain,
			@Size(max = 200) String industryType, @Size(max = 20) List<@Valid @NotNull StepBody> steps) {
	}

	record StepBody(@NotBlank @Size(max = 100) String stepName, @Size(max = 100) String serviceName) {
	}

}
