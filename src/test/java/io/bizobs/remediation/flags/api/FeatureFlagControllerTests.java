package io.bizobs.remediation.flags.api;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.BackgroundConfiguration;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.EventDeliveries;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.remediation.Guards;
import io.bizobs.remediation.remediation.Runbooks;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.security.ApiKeyProperties;
import io.bizobs.remediation.security.SecurityConfiguration;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.web.RequestProperties;
import io.bizobs.remediation.web.StrictJsonConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;

@WebMvcTest(FeatureFlagController.class)
@ImportAutoConfiguration(TaskSchedulingAutoConfiguration.class)
@Import({ BackgroundConfiguration.class, FlagsDocument.class, FlagStream.class, StrictJsonConfiguration.class, SecurityConfiguration.class,
		SimpleMeterRegistry.class })
@EnableConfigurationProperties({ ApiKeyProperties.class, RequestProperties.class, StreamProperties.class })
class FeatureFlagControllerTests {

	private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	FeatureFlagService flags;

	@MockitoBean
	FlagStore store;

	@MockitoBean
	EventDeliveries deliveries;

	@MockitoBean
	Guards guards;

	@MockitoBean
	Runbooks runbooks;

	@BeforeEach
	void noDynatrace() {
		given(this.deliveries.firstAttempts(any())).willAnswer((invocation) -> {
			Map<String, DeliveryReport> reports = new LinkedHashMap<>();
			for (Object auditId : invocation.getArgument(0, Collection.class)) {
				reports.put((String) auditId, new DeliveryReport(EventStatus.DISABLED, null, "No Dynatrace"));
			}
			return CompletableFuture.completedFuture(reports);
		});
	}

	@Test
	void changeWithoutTriggeredByIsManualAndAnonymous() {
		given(this.flags.change(any())).willReturn(new FlagChangeOutcome(
				List.of(new FlagChange("errorInjectionEnabled", true, false, true, "a-1", EventStatus.DISABLED)), 18,
				AT, false, null));

		assertThat(this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"problemId\":\" \"}")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"ok": true, "flag": "errorInjectionEnabled", "previousValue": true, "newValue": false,
					 "changed": true, "triggeredBy": "manual", "problemId": null, "version": 18, "auditId": "a-1",
					 "eventSent": false, "event": {"status": "DISABLED"}}""");

		ArgumentCaptor<FlagChangeCommand> command = ArgumentCaptor.forClass(FlagChangeCommand.class);
		verify(this.flags).change(command.capture());
		assertThat(command.getValue().context().triggeredBy()).isEqualTo("manual");
		assertThat(command.getValue().context().caller()).isEqualTo("anonymous");
		assertThat(command.getValue().context().problemId()).isNull();
		assertThat(command.getValue().expectedVersion()).isNull();
	}

	@Test
	void ifMatchNamesTheExpectedVersion() {
		given(this.flags.change(any())).willReturn(new FlagChangeOutcome(
				List.of(new FlagChange("cacheEnabled", true, false, true, "a-2", EventStatus.DISABLED)), 18, AT,
				false, null));

		this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.header("If-Match", "W/\"17\"")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"flag\":\"cacheEnabled\",\"value\":false}")
			.exchange();

		ArgumentCaptor<FlagChangeCommand> command = ArgumentCaptor.forClass(FlagChangeCommand.class);
		verify(this.flags).change(command.capture());
		assertThat(command.getValue().expectedVersion()).isEqualTo(17L);
	}

	@Test
	void ifMatchThatIsNoVersionIsABadRequest() {
		assertThat(this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.header("If-Match", "\"latest\"")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"flag\":\"cacheEnabled\",\"value\":false}")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.ok")
			.isEqualTo(false);
	}

	@Test
	void storeFailureIsA503ThatSaysNothingChanged() {
		given(this.flags.change(any())).willThrow(new DataAccessResourceFailureException("disk full"));

		assertThat(this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"flag\":\"cacheEnabled\",\"value\":false}")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.isLenientlyEqualTo("""
					{"status": 503, "ok": false,
					 "error": "The flag store is unavailable; nothing was changed"}""");
	}

	@Test
	void unknownPathIsAProblemToo() {
		assertThat(this.mvc.get().uri("/api/remediation/nothing-here")).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.ok")
			.isEqualTo(false);
	}

}
