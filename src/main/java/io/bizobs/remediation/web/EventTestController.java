package io.bizobs.remediation.web;

import io.bizobs.remediation.events.DeliveryReport;
import io.bizobs.remediation.events.EventDeliveryWorker;
import io.bizobs.remediation.store.EventStatus;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Events not appearing in Dynatrace?": sends one test event and answers what Dynatrace said.
 */
@RestController
class EventTestController {

	private final EventDeliveryWorker deliveries;

	EventTestController(EventDeliveryWorker deliveries) {
		this.deliveries = deliveries;
	}

	@PostMapping("/api/remediation/events/test")
	TestEventResponse test() {
		EventDeliveryWorker.TestEventResult result = this.deliveries.sendTestEvent();
		DeliveryReport report = result.report();
		if (report.status() == EventStatus.DELIVERED) {
			return new TestEventResponse(true, report.status(), result.endpoint(), report.correlationId(),
					report.detail());
		}
		HttpStatus status = (report.status() == EventStatus.DISABLED) ? HttpStatus.SERVICE_UNAVAILABLE
				: HttpStatus.BAD_GATEWAY;
		ProblemDetail problem = ApiExceptionHandler.problem(status,
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
