package io.bizobs.remediation.simulator;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The journey endpoint over HTTP, with the earlier app's bodies.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class JourneyEndpointTests {

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.simulator.latency-scale", () -> "0.01");
	}

	@Test
	void journeyEndpointTakesTheEarlierAppsBody() {
		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"journeyId": "journey_1", "customerId": "customer_1",
					 "journey": {"companyName": "Stark Industries", "domain": "stark.example",
					             "industryType": "Manufacturing",
					             "steps": [{"stepName": "Discovery"}, {"stepName": "Verification",
					                        "serviceName": "VerificationService"}]}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.success").isEqualTo(true)
			.jsonPath("$.journey.journeyId").isEqualTo("journey_1")
			.jsonPath("$.journey.companyName").isEqualTo("Stark Industries")
			.jsonPath("$.journey.totalSteps").isEqualTo(2)
			.jsonPath("$.journey.steps[1].serviceName").isEqualTo("VerificationService");

		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"customerName\": \"Initech\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.journey.totalSteps").isEqualTo(6)
			.jsonPath("$.journey.steps[0].stepName").isEqualTo("Discovery");

		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"journey\": {\"steps\": []}}")
			.exchange()
			.expectStatus()
			.isBadRequest();

		StringBuilder tooMany = new StringBuilder("{\"companyName\":\"Initech\",\"journey\":{\"steps\":[");
		for (int i = 0; i < 21; i++) {
			tooMany.append((i > 0) ? "," : "").append("{\"stepName\":\"Step ").append(i).append("\"}");
		}
		this.client.post()
			.uri("/api/journey-simulation/simulate-journey")
			.contentType(MediaType.APPLICATION_JSON)
			.body(tooMany.append("]}}").toString())
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

}
