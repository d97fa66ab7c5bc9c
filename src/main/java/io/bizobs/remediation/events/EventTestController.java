package io.bizobs.remediation.events;

import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.store.EventStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Events not appearing in Dynatrace?": sends one test event and answers what Dynatrace said.
 */
@RestController
@Tag(name = "Dynatrace events")
class EventTestController {

	private final TestEvents testEvents;

	EventTestController(TestEvents testEvents) {
		this.testEvents = testEvents;
	}

	@PostMapping("/api/remediation/events/test")
	@Operation(summary = "Send one CUSTOM_INFO test event and answer what Dynatrace said")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "429", description = "As many test events sent this minute as allowed", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "502", description = "Dynatrace refused it or could not be reached", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503", description = "No Dynatrace environment configured", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	CompletableFuture<TestEventResponse> test() {
		return this.testEvents.send().thenApply(EventTestController::response);
	}

	private static TestEventResponse response(TestEvents.Result result) {
		DeliveryReport report = result.report();
		if (report.status() == EventStatus.DELIVERED) {
			return new TestEventResponse(true, report.status(), result.endpoint(), report.correlationId(),
					report.detail());
		}
		HttpStatus status = (report.status() == EventStatus.DISABLED) ? HttpStatus.SERVICE_UNAVAILABLE
				: HttpStatus.BAD_GATEWAY;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				(report.status() == EventStatus.DISABLED) ? report.detail()
						: "Dynatrace did not accept the test event: " + report.detail());
		problem.setTitle("Test event not delivered");
		problem.setProperty("eventStatus", report.status());
		problem.setProperty("endpoint", result.endpoint());
		throw new ErrorResponseException(status, problem, null);
	}

	record TestEventResponse(boolean ok, EventStatus status, String endpoint, String correlationId,
			String dynatraceAnswer) {
	}

}
