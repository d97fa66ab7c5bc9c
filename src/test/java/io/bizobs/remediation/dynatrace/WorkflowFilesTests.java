package io.bizobs.remediation.dynatrace;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.dynatrace.DynatraceWorkflows.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.bizobs.remediation.dynatrace.DynatraceWorkflows.CREDENTIAL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Dynatrace files against Dynatrace's own formats, and their HTTP tasks against the
 * running service with the scoped key the README tells an admin to put in the vault.
 * <p>
 * The schemas in {@code src/test/resources/dynatrace} are written from what Dynatrace publishes:
 * the Automation API's OpenAPI 1.779.0 ({@code dynatrace-oss/terraform-provider-dynatrace},
 * {@code documentation/schema-history/automation/openapi-1.779.0.yaml}), the HTTP action's
 * {@code credential} as in Dynatrace's exported workflows ({@code Dynatrace/Dynatrace-workflow-samples}),
 * and the settings schema {@code builtin:davis.anomaly-detectors} 1.0.16 (the same provider,
 * {@code dynatrace/api/builtin/davis/anomalydetectors/schema.json}). Every object in them refuses
 * what it does not declare.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@SuppressWarnings("unchecked")
class WorkflowFilesTests {

	private static final String WORKFLOW_KEY = "self-healing-workflow-key";

	private static final String SLOW_RESPONSES_ONLY_KEY = "slow-responses-only-key";

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The Dynatrace the service reports to: the workflows only ever run where there is one. */
	static final DynatraceDouble dynatrace = new DynatraceDouble();

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@AfterAll
	static void stopDynatrace() {
		dynatrace.close();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		// The README's key for the workflows, limited to the flags they change, and a narrower one.
		DynatraceWorkflows.writeKey(registry, 0, "self-healing-workflow", WORKFLOW_KEY, "errorInjectionEnabled",
				"slowResponsesEnabled", "circuitBreakerEnabled", "cacheEnabled");
		DynatraceWorkflows.writeKey(registry, 1, "slow-responses-only", SLOW_RESPONSES_ONLY_KEY, "slowResponsesEnabled");
		registry.add("remediation.guard.max-changes", () -> "1000");
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.dynatrace.metrics.enabled", () -> "false");
	}

	@Test
	void everyWorkflowIsAWorkflowRequestOfTheAutomationApi() {
		JsonSchema schema = schema("workflow-request.schema.json");
		List<Workflow> workflows = DynatraceWorkflows.all();
		assertThat(workflows).extracting(Workflow::name)
			.containsExactly("error-rate-runbook", "restore-demo-faults-on-close", "services-failing-runbook");
		for (Workflow workflow : workflows) {
			assertThat(errors(schema, workflow.json())).as(workflow.file()).isEmpty();
			assertThat(workflow.json()).as(workflow.file()).containsEntry("schemaVersion", 3);
			assertThat(workflow.httpTasks()).as(workflow.file())
				.isNotEmpty()
				.allSatisfy((task) -> assertThat((Map<String, Object>) ((Map<String, Object>) task.get("input"))
					.get("credential")).containsEntry("type", "token")
					.containsEntry("tokenPrefix", "Api-Token")
					.containsEntry("credentialId", CREDENTIAL));
		}
	}

	@Test
	void schemaRefusesWhatTheAutomationApiDoesNotKnow() {
		JsonSchema schema = schema("workflow-request.schema.json");
		Map<String, Object> workflow = DynatraceWorkflows.all().get(0).json();
		Map<String, Object> task = (Map<String, Object>) ((Map<String, Object>) workflow.get("tasks"))
			.get("start_error_rate_runbook");
		// The earlier files' invented authentication block, and a wait the 1.779.0 Task lacks.
		Map<String, Object> input = (Map<String, Object>) task.get("input");
		input.put("authentication", Map.of("type", "token", "credential", CREDENTIAL));
		task.put("waitBefore", 300);
		assertThat(errors(schema, workflow)).extracting(ValidationMessage::getMessage)
			.anySatisfy((message) -> assertThat(message).contains("authentication"))
			.anySatisfy((message) -> assertThat(message).contains("waitBefore"));
	}

	@Test
	void templatesAndTheMonacoProjectCarryTheSameWorkflows() throws IOException {
		for (Workflow workflow : DynatraceWorkflows.all()) {
			Map<String, Object> template = new Yaml()
				.load(Files.readString(DynatraceWorkflows.TEMPLATES.resolve(workflow.name() + ".yaml")));
			assertThat(template.get("workflow")).as("template of " + workflow.file()).isEqualTo(workflow.json());
			assertThat(((Map<String, Object>) template.get("metadata")).get("dependencies").toString())
				.contains("dynatrace.automations");
			String monaco = Files.readString(DynatraceWorkflows.MONACO.resolve(workflow.file()))
				.replace("{{`{{`}}", "{{")
				.replace("{{`}}`}}", "}}")
				.replace("{{ .bizobsUrl }}", DynatraceWorkflows.SERVICE_URL)
				.replace("{{ .credentialId }}", CREDENTIAL)
				.replace("{{ .actor }}", DynatraceWorkflows.ACTOR);
			assertThat(json.readValue(monaco, Map.class)).as("Monaco's " + workflow.file()).isEqualTo(workflow.json());
		}
		String monacoConfig = Files.readString(DynatraceWorkflows.MONACO.resolve("config.yaml"));
		for (Workflow workflow : DynatraceWorkflows.all()) {
			assertThat(monacoConfig).contains("template: " + workflow.file());
		}
		assertThat(monacoConfig).contains("template: " + Detector.ERROR_RATE, "template: " + Detector.SERVICES_FAILING,
				"schema: builtin:davis.anomaly-detectors");
	}

	@Test
	void detectorsAreDavisAnomalyDetectorsOnThePushedMetrics() {
		JsonSchema schema = schema("davis-anomaly-detector.schema.json");
		Detector errorRate = Detector.shipped(Detector.ERROR_RATE);
		assertThat(errors(schema, errorRate.settings())).isEmpty();
		assertThat(errorRate.input().get("query")).contains("bizobs.journey.customer.error.rate");
		assertThat(errorRate.threshold()).isEqualTo(0.05);
		assertThat(errorRate.raises(List.of(0.2, 0.2, 0.01, 0.01, 0.01))).isFalse();
		assertThat(errorRate.raises(List.of(0.2, 0.01, 0.2, 0.01, 0.2))).isTrue();
		Detector servicesFailing = Detector.shipped(Detector.SERVICES_FAILING);
		assertThat(errors(schema, servicesFailing.settings())).isEmpty();
		assertThat(servicesFailing.input().get("query")).contains("bizobs.journey.services.failing");
		assertThat(servicesFailing.raises(List.of(1.0, 1.0, 1.0, 1.0, 1.0))).as("one failing service").isFalse();
		assertThat(servicesFailing.raises(List.of(2.0, 3.0, 1.0, 2.0, 0.0))).isTrue();
	}

	@Test
	void eachProblemStartsExactlyTheWorkflowItsNameSays() {
		Detector errorRate = Detector.shipped(Detector.ERROR_RATE);
		Detector servicesFailing = Detector.shipped(Detector.SERVICES_FAILING);
		assertThat(started(errorRate.problem("ACTIVE"))).containsExactly("error-rate-runbook");
		assertThat(started(servicesFailing.problem("ACTIVE"))).containsExactly("services-failing-runbook");
		assertThat(started(errorRate.problem("CLOSED"))).containsExactly("restore-demo-faults-on-close");
		assertThat(started(servicesFailing.problem("CLOSED"))).containsExactly("restore-demo-faults-on-close");
		assertThat(started(DynatraceWorkflows.problem("Response time degradation", "ACTIVE", "SLOWDOWN"))).isEmpty();
		assertThat(started(DynatraceWorkflows.problem("Failure rate increase", "ACTIVE", "ERROR")))
			.as("an error problem that is not the journeys'")
			.isEmpty();
	}

	@Test
	void eachRunbookWorkflowStartsTheRunbookItsNameSaysForItsProblemAndARetryFindsTheSameRun() {
		Map<String, String> vault = Map.of(CREDENTIAL, WORKFLOW_KEY);
		List<Workflow> runbookWorkflows = DynatraceWorkflows.all()
			.stream()
			.filter((workflow) -> workflow.name().endsWith("-runbook"))
			.toList();
		assertThat(runbookWorkflows).extracting(Workflow::name)
			.containsExactly("error-rate-runbook", "services-failing-runbook");
		int problem = 0;
		for (Workflow workflow : runbookWorkflows) {
			String runbook = workflow.name().replace("-runbook", "");
			Map<String, Object> event = new LinkedHashMap<>(Detector.shipped(Detector.ERROR_RATE).problem("ACTIVE"));
			event.put("display_id", "P-9" + (++problem));
			List<HttpResponse<String>> first = workflow.runHttpTasks(event, service(), vault);
			assertThat(first).singleElement().satisfies((response) -> {
				assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
				assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
						(location) -> assertThat(location).startsWith("/api/remediation/runs/"));
				assertThat(json.readValue(response.body(), Map.class)).extractingByKey("run")
					.satisfies((run) -> assertThat((Map<String, Object>) run).containsEntry("runbook", runbook)
						.containsEntry("problemId", event.get("display_id"))
						.containsEntry("triggeredBy", "dynatrace_workflow")
						.containsEntry("caller", "self-healing-workflow"));
			});
			HttpResponse<String> retried = workflow.runHttpTasks(event, service(), vault).get(0);
			assertThat(retried.statusCode()).isEqualTo(200);
			assertThat(retried.headers().firstValue("Location")).isEqualTo(first.get(0).headers().firstValue("Location"));
		}
	}

	@Test
	void everyHttpTaskSucceedsWithTheVaultsScopedKey() {
		Detector detector = Detector.shipped(Detector.ERROR_RATE);
		Map<String, String> vault = Map.of(CREDENTIAL, WORKFLOW_KEY);
		int sent = 0;
		for (Workflow workflow : DynatraceWorkflows.all()) {
			for (HttpResponse<String> response : workflow.runHttpTasks(detector.problem("ACTIVE"), service(),
					vault)) {
				assertThat(response.statusCode()).as(workflow.file() + ": " + response.body()).isBetween(200, 299);
				assertThat(response.body()).contains("\"triggeredBy\":\"dynatrace_workflow");
				sent++;
			}
		}
		assertThat(sent).isEqualTo(3);
	}

	@Test
	void taskIsRefusedWhenItsKeyMayNotChangeTheFlagOrTheVaultHasNoToken() {
		Workflow disable = DynatraceWorkflows.all().get(0);
		Map<String, Object> problem = Detector.shipped(Detector.ERROR_RATE).problem("ACTIVE");
		HttpResponse<String> outOfScope = disable.runHttpTasks(problem, service(), Map.of(CREDENTIAL, SLOW_RESPONSES_ONLY_KEY))
			.get(0);
		assertThat(outOfScope.statusCode()).isEqualTo(403);
		assertThat(outOfScope.body()).contains("errorInjectionEnabled");
		HttpResponse<String> noToken = disable.runHttpTasks(problem, service(), Map.of()).get(0);
		assertThat(noToken.statusCode()).isEqualTo(401);
	}

	private URI service() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	private static List<String> started(Map<String, Object> problem) {
		return DynatraceWorkflows.startedBy(problem).stream().map(Workflow::name).toList();
	}

	private static JsonSchema schema(String name) {
		try (InputStream schema = WorkflowFilesTests.class.getResourceAsStream("/dynatrace/" + name)) {
			return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<ValidationMessage> errors(JsonSchema schema, Map<String, Object> document) {
		return schema.validate(json.writeValueAsString(new LinkedHashMap<>(document)), InputFormat.JSON);
	}

}
