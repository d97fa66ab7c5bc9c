package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.EventDeliveries;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.remediation.GuardView;
import io.bizobs.remediation.remediation.Guards;
import io.bizobs.remediation.remediation.Runbooks;
import io.bizobs.remediation.security.Callers;
import io.bizobs.remediation.web.Clients;
import io.bizobs.remediation.web.VersionTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/**
 * The flags API that Dynatrace Workflows, operators and the simulator call.
 */
@RestController
@RequestMapping("/api/remediation")
@Tag(name = "Feature flags")
class FeatureFlagController {

	private static final Logger logger = LoggerFactory.getLogger(FeatureFlagController.class);

	private final FeatureFlagService flags;

	private final EventDeliveries deliveries;

	private final FlagStream stream;

	private final Guards guards;

	private final Runbooks runbooks;

	FeatureFlagController(FeatureFlagService flags, EventDeliveries deliveries, FlagStream stream, Guards guards,
			Runbooks runbooks) {
		this.runbooks = runbooks;
		this.flags = flags;
		this.deliveries = deliveries;
		this.stream = stream;
		this.guards = guards;
	}

	@GetMapping(path = "/feature-flags/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Follow the flags",
			description = "Server-sent events named flags: the current flags, then the flags after each change, "
					+ "versions only going forward; a heartbeat comment every few seconds. With format=ofrep: "
					+ "OFREP's refetchEvaluation events with the bulk evaluation's ETag instead")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "429", description = "As many streams open as allowed, from this address or in all",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	void stream(@RequestParam(required = false) String format, HttpServletRequest request,
			HttpServletResponse response) throws IOException, ServletException {
		this.stream.open(Clients.of(request.getRemoteAddr()), Clients.hasKey(request),
				"ofrep".equals(format) ? FlagStream.Format.OFREP : FlagStream.Format.FLAGS, request, response);
	}

	/**
	 * The stream's headers only. A HEAD answered by the stream itself would never end: its
	 * heartbeats write nothing, so a client that went away would hold its place until the time-out.
	 */
	@RequestMapping(path = "/feature-flags/stream", method = RequestMethod.HEAD)
	@Operation(hidden = true)
	ResponseEntity<Void> streamHeaders() {
		return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).build();
	}

	// Not "stream": a stream asked for as JSON is a 406, not an unknown flag.
	@GetMapping("/feature-flags/{flag:(?!stream$).+}")
	@Operation(summary = "One flag: value, type, default, range, last change and pending revert")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "404", description = "Unknown flag", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	FlagDetailResponse flag(@PathVariable String flag) {
		FlagSnapshot snapshot = this.flags.snapshot();
		return FlagDetailResponse.of(snapshot.state(flag), snapshot.version(), this.guards.watching(flag).orElse(null));
	}

	@PostMapping(path = "/feature-flag", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Set one flag", description = "Stores, audits and announces the change to Dynatrace")
	@ApiResponse(responseCode = "200")
	@ChangeErrorResponses
	CompletableFuture<FlagChangeResponse> change(@Valid @RequestBody FlagChangeRequest body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			HttpServletRequest request) {
		ChangeContext context = Callers.changeContext(body, List.of(body.flag()), request);
		Guards.Plan guard = guard(body, context);
		FlagChangeOutcome outcome = this.flags.change(command(Map.of(body.flag(), body.value()),
				ChangeType.FEATURE_FLAG_TOGGLE, body, context, ifMatch, guard));
		GuardView watched = (guard != null) ? guard.view(outcome) : null;
		return EventReports.of(outcome, this.deliveries)
			.thenApply((events) -> FlagChangeResponse.of(outcome, context, events, watched));
	}

	@PostMapping(path = "/feature-flags/bulk", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Set several flags, all or nothing", description = "One event per changed flag")
	@ApiResponse(responseCode = "200")
	@ChangeErrorResponses
	CompletableFuture<BulkFlagChangeResponse> bulk(@Valid @RequestBody BulkFlagChangeRequest body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
			HttpServletRequest request) {
		ChangeContext context = Callers.changeContext(body, body.flags().keySet(), request);
		Guards.Plan guard = guard(body, context);
		List<String> held = new ArrayList<>();
		FlagChangeOutcome outcome = !Boolean.TRUE.equals(body.skipHeld())
				? this.flags.change(command(body.flags(), ChangeType.BULK_FEATURE_FLAG_TOGGLE, body, context, ifMatch,
						guard))
				// What is held is read under the lock that orders runs' steps, so that none slips in between.
				: this.flags.inOneTransaction((current) -> {
					Map<String, Object> values = new LinkedHashMap<>(body.flags());
					Set<String> holding = this.runbooks.held();
					values.keySet().stream().filter(holding::contains).forEach(held::add);
					values.keySet().removeAll(held);
					return this.flags.change(command(values, ChangeType.BULK_FEATURE_FLAG_TOGGLE, body, context,
							ifMatch, guard));
				});
		GuardView watched = (guard != null) ? guard.view(outcome) : null;
		return EventReports.of(outcome, this.deliveries)
			.thenApply((events) -> BulkFlagChangeResponse.of(outcome, context, events, watched, held));
	}

	/** The guard a change asks for, checked; {@code null} when it asks for none. */
	private Guards.Plan guard(FlagValuesRequest body, ChangeContext context) {
		return (body.guard() != null) ? this.guards.plan(body.guard(), context, revertAfter(body)) : null;
	}

	private static Duration revertAfter(FlagValuesRequest body) {
		return (body.revertAfterSeconds() != null) ? Duration.ofSeconds(body.revertAfterSeconds()) : null;
	}

	/**
	 * A guarded change is made without its revert: the guard reverts it after a verified verdict,
	 * once the problem stayed closed.
	 */
	private static FlagChangeCommand command(Map<String, Object> values, ChangeType type,
			FlagValuesRequest body, ChangeContext context, String ifMatch, Guards.Plan guard) {
		if (body.dtEnvironment() != null || body.dtToken() != null) {
			logger.warn("[Remediation] Ignoring the request's dtEnvironment/dtToken fields: events only go to the "
					+ "configured Dynatrace environment");
		}
		return new FlagChangeCommand(values, type, context, Boolean.TRUE.equals(body.dryRun()),
				VersionTags.version(ifMatch), (guard != null) ? null : revertAfter(body), guard);
	}

}
