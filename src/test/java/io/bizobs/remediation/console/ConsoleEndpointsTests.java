package io.bizobs.remediation.console;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.bizobs.remediation.DynatraceDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console reads, over HTTP with a key configured: its page and files, every flag with
 * the why of its last change, the loop's history, who the key makes the caller, the Dynatrace
 * panel's status, and the timeline's filters.
 */
@SpringBootTest(properties = { "remediation.security.api-key=" + ConsoleEndpointsTests.KEY,
		"remediation.simulator.latency-scale=0.01" })
@AutoConfigureMockMvc
class ConsoleEndpointsTests {

	static final String KEY = "console-key";

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	@TempDir
	static Path dataDir;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	LoopHistory history;

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.SECRET-TOKEN");
	}

	@AfterAll
	static void stop() {
		dynatrace.close();
	}

	@Test
	void pageAndItsFilesAreOpenAndForbidInlineScript() {
		for (String path : new String[] { "/", "/index.html", "/console/main.js", "/console/console.css" }) {
			assertThat(this.mvc.get().uri(path)).hasStatusOk()
				.headers()
				.hasValue("Content-Security-Policy",
						"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
								+ "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
		}
		for (String path : new String[] { "/", "/index.html" }) {
			assertThat(this.mvc.get().uri(path)).headers().hasValue("Cache-Control", "no-cache, private");
		}
		for (String path : new String[] { "/console/main.js", "/console/console.css" }) {
			assertThat(this.mvc.get().uri(path)).headers().hasValue("Cache-Control", "no-cache");
		}
		assertThat(this.mvc.get().uri("/index.html")).bodyText()
			.contains("<script type=\"module\" src=\"/console/main.js\">");
		assertThat(this.mvc.get().uri("/api/console/flags")).headers().doesNotContainHeader("Content-Security-Policy");
		// Beside the console's files, a path nothing serves still needs a key, as before.
		assertThat(this.mvc.get().uri("/console-secrets")).hasStatus(401);
	}

	@Test
	void thePageCarriesTheFlagsForItsFirstPaintAndNoReasonCanEndItsScript() throws Exception {
		String hostile = "</script><script>alert(1)</script> & <!--";
		change("{\"flag\":\"circuitBreakerEnabled\",\"value\":true,\"reason\":\"" + hostile.replace("\"", "\\\"")
				+ "\"}");

		for (String path : new String[] { "/", "/index.html" }) {
			String page = this.mvc.get().uri(path).exchange().getResponse().getContentAsString(StandardCharsets.UTF_8);
			Matcher firstPaint = Pattern
				.compile("<script type=\"application/json\" id=\"first-paint\">([^<]*)</script>\n</head>")
				.matcher(page);
			assertThat(firstPaint.find()).as(page).isTrue();
			assertThat(page).doesNotContain("alert(1)</script>");
			JsonNode flags = this.json.readTree(firstPaint.group(1)).get("flags");
			assertThat(flags).hasSize(7);
			JsonNode breaker = flags.valueStream()
				.filter((flag) -> flag.get("name").asString().equals("circuitBreakerEnabled"))
				.findFirst()
				.orElseThrow();
			assertThat(breaker.get("value").asBoolean()).isTrue();
			assertThat(breaker.get("lastChange").get("reason").asString()).isEqualTo(hostile);
		}
	}

	@Test
	void everyFlagCarriesItsDefaultRangeAndTheWhyOfItsLastChange() {
		change("{\"flag\":\"canaryTrafficPercent\",\"value\":20,\"reason\":\"Canary errors\",\"problemId\":\"P-1\","
				+ "\"revertAfterSeconds\":600}");

		MvcTestResult flags = this.mvc.get().uri("/api/console/flags").exchange();
		assertThat(flags).hasStatusOk().bodyJson().extractingPath("$.flags[*].name").asArray()
			.containsExactly("errorInjectionEnabled", "slowResponsesEnabled", "circuitBreakerEnabled",
					"rateLimitingEnabled", "cacheEnabled", "canaryTrafficPercent", "errorRate");
		String canary = "$.flags[?(@.name == 'canaryTrafficPercent')]";
		assertThat(flags).bodyJson().extractingPath(canary + ".value").asArray().containsExactly(20);
		assertThat(flags).bodyJson().extractingPath(canary + ".default").asArray().containsExactly(50);
		assertThat(flags).bodyJson().extractingPath(canary + ".min").asArray().containsExactly(0);
		assertThat(flags).bodyJson().extractingPath(canary + ".max").asArray().containsExactly(100);
		assertThat(flags).bodyJson().extractingPath(canary + ".lastChange.reason").asArray()
			.containsExactly("Canary errors");
		assertThat(flags).bodyJson().extractingPath(canary + ".lastChange.problemId").asArray().containsExactly("P-1");
		assertThat(flags).bodyJson().extractingPath(canary + ".lastChange.caller").asArray().containsExactly("default");
		assertThat(flags).bodyJson().extractingPath(canary + ".pendingRevert.revertTo").asArray().containsExactly(50);
		assertThat(flags).bodyJson().extractingPath("$.flags[?(@.name == 'rateLimitingEnabled')].lastChange")
			.asArray()
			.containsExactly((Object) null);
	}

	@Test
	void theLoopHasTheErrorRatePerCustomerAndTheChangesAsMarkers() {
		assertThat(this.mvc.post()
			.uri("/api/journey-simulation/simulate-journey")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"companyName\":\"Acme Corp\"}")).hasStatusOk();
		change("{\"flag\":\"slowResponsesEnabled\",\"value\":false,\"reason\":\"Slow checkout\","
				+ "\"triggeredBy\":\"dynatrace_workflow\"}");
		this.history.sample();

		MvcTestResult loop = this.mvc.get().uri("/api/console/loop").exchange();
		assertThat(loop).hasStatusOk().bodyJson().extractingPath("$.historySeconds").isEqualTo(900);
		assertThat(loop).bodyJson().extractingPath("$.sampleIntervalMillis").isEqualTo(5000);
		assertThat(loop).bodyJson().extractingPath("$.samples[-1].errorRates").asMap().containsKey("Acme Corp");
		assertThat(loop).bodyJson()
			.extractingPath("$.markers[?(@.flag == 'slowResponsesEnabled')].triggeredBy")
			.asArray()
			.containsExactly("dynatrace_workflow");
		assertThat(loop).bodyJson().extractingPath("$.markers[0].version").isNotNull();
	}

	@Test
	void theCallerIsWhoTheKeyMakesIt() {
		assertThat(this.mvc.get().uri("/api/console/caller")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"name\":\"anonymous\",\"mayWrite\":false,\"flags\":[]}");
		assertThat(this.mvc.get().uri("/api/console/caller").header("X-API-Key", KEY)).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"name\":\"default\",\"mayWrite\":true,\"flags\":[]}");
		assertThat(this.mvc.get().uri("/api/console/caller").header("X-API-Key", "wrong")).hasStatus(401)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The API key is not valid");
	}

	@Test
	void theDynatraceStatusNamesTheEndpointAndSchemeButNeverTheToken() {
		MvcTestResult status = this.mvc.get().uri("/api/remediation/events/status").exchange();
		assertThat(status).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"enabled\":true,\"endpoint\":\"" + dynatrace.url() + "api/v2/events/ingest\","
					+ "\"mode\":\"classic\",\"authorization\":\"Api-Token\"}");
		assertThat(status).bodyText().doesNotContain("SECRET-TOKEN");
	}

	@Test
	void theAuditFiltersByTriggeredByAndProblem() {
		change("{\"flag\":\"cacheEnabled\",\"value\":false,\"reason\":\"Stale prices\",\"problemId\":\"P-77\","
				+ "\"triggeredBy\":\"dynatrace_workflow\"}");
		change("{\"flag\":\"cacheEnabled\",\"value\":true,\"reason\":\"Prices fresh again\"}");

		assertThat(this.mvc.get().uri("/api/remediation/audit?problemId=P-77")).bodyJson()
			.extractingPath("$.entries[*].reason")
			.asArray()
			.containsExactly("Stale prices");
		assertThat(this.mvc.get().uri("/api/remediation/audit?flag=cacheEnabled&triggeredBy=manual")).bodyJson()
			.extractingPath("$.entries[*].reason")
			.asArray()
			.containsExactly("Prices fresh again");
		// An emptied search field filters nothing.
		assertThat(this.mvc.get().uri("/api/remediation/audit").param("problemId", " ")).bodyJson()
			.extractingPath("$.count")
			.asNumber()
			.isNotEqualTo(0);
		assertThat(this.mvc.get().uri("/api/remediation/audit?triggeredBy=" + "x".repeat(201))).hasStatus(400);
	}

	private void change(String body) {
		assertThat(this.mvc.post()
			.uri("/api/remediation/feature-flag")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)).hasStatusOk();
	}

}
