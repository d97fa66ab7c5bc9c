package io.bizobs.remediation.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.AuditQuery;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import io.bizobs.remediation.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every recorded change, newest first.
 */
@RestController
@Tag(name = "Audit")
class AuditController {

	private final FlagStore store;

	private final GuardStore guards;

	AuditController(FlagStore store, GuardStore guards) {
		this.store = store;
		this.guards = guards;
	}

	@GetMapping("/api/remediation/audit")
	@Operation(summary = "Recorded changes, newest first", description = "Each filter given narrows the entries: one flag, one triggeredBy, one problemId, since a time")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "400", description = "Bad flag, triggeredBy, problemId, since or limit", content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	AuditResponse audit(@RequestParam(required = false) String flag,
			@RequestParam(required = false) @Size(max = 200) String triggeredBy,
			@RequestParam(required = false) @Size(max = 200) String problemId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant since,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, HttpServletRequest request) {
		// Where callers come from is for those with a key or who may write: to a stranger it would
		// name the address whose wrong keys, journeys or streams would crowd out the workflow's.
		boolean withAddresses = Clients.isTrusted(request);
		// A blank filter, as an emptied search field sends it, filters nothing.
		List<AuditEntry> found = this.store.audit(new AuditQuery(flag, orNull(triggeredBy), orNull(problemId), since,
				limit));
		Map<String, GuardRow> guards = this.guards.byAuditIds(found.stream().map(AuditEntry::id).toList());
		List<Entry> entries = found.stream()
			.map((entry) -> Entry.of(entry, withAddresses, guards.get(entry.id())))
			.toList();
		return new AuditResponse(true, entries.size(), entries);
	}

	private static String orNull(String filter) {
		return StringUtils.hasText(filter) ? filter.trim() : null;
	}

	record AuditResponse(boolean ok, int count, List<Entry> entries) {
	}

	record Entry(String id, Instant timestamp, long version, String flag, Object previousValue, Object newValue,
			String reason, String problemId, String triggeredBy, String remediationType, String caller,
			String remoteAddress, Event event, @JsonInclude(JsonInclude.Include.NON_NULL) Comment comment,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> details,
			@JsonInclude(JsonInclude.Include.NON_NULL) Guard guard) {

		static Entry of(AuditEntry entry, boolean withAddress, GuardRow guard) {
			return new Entry(entry.id(), entry.timestamp(), entry.version(), entry.flag(),
					FlagValues.fromLiteral(entry.previousValue()), FlagValues.fromLiteral(entry.newValue()),
					entry.reason(), entry.problemId(), entry.triggeredBy(), entry.remediationType(), entry.caller(),
					withAddress ? entry.remoteAddress() : null,
					new Event(entry.eventStatus(), entry.eventCorrelationId(), entry.eventError()),
					(entry.commentStatus() != null) ? new Comment(entry.commentStatus(), entry.commentError()) : null,
					entry.details(), (guard != null) ? new Guard(guard.id(), guard.progress().state(),
							guard.outcome().verdict()) : null);
		}

	}

	/**
	 * What became of the comment an entry put on its Dynatrace problem (a guard's verdict has one).
	 *
	 * @param status the delivery status
	 * @param error the last delivery error, if any
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Comment(EventStatus status, String error) {
	}

	/**
	 * The guard watching, or that watched, the change of an entry.
	 *
	 * @param id its id ({@code GET /api/remediation/guards/{id}})
	 * @param state {@code WATCHING}, {@code HOLDING} or {@code ENDED}
	 * @param verdict its verdict, once there is one
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Guard(String id, String state, String verdict) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Event(EventStatus status, String correlationId, String error) {
	}

}
