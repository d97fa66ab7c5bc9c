package io.bizobs.remediation.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Dynatrace workflows against the running service: every HTTP task, with its Jinja
 * rendered for a sample problem, is accepted, so the files cannot drift from the API.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@SuppressWarnings("unchecked")
class WorkflowFilesTests {

	private static final Path WORKFLOWS = Path.of("docs/dynatrace/workflows");

	private static final Path MONACO = Path.of("docs/dynatrace/monaco/bizobs-self-healing");

	private static final String SERVICE_URL = "https://bizobs.example.com";

	private static final String CREDENTIAL = "CREDENTIALS_VAULT-BIZOBS-REMEDIATION-KEY";

	/** The fields of a Davis problem event that the workflows read. */
	private static final Map<String, String> SAMPLE_PROBLEM = Map.of("display_id", "P-24112601", "event.id",
			"-1234567890123456789_1732440000000V2");

	private static final Pattern EVENT_FIELD = Pattern.compile("\\{\\{\\s*event\\(\\)\\['([^']+)'\\]\\s*}}");

	@TempDir
	static Path dataDir;

	@Autowired
	RestTestClient client;

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		// The credential vault entry the workflows authenticate with holds this key.
		registry.add("remediation.security.api-key", () -> "workflow-credential");
	}

	@Test
	void everyHttpTaskOfEveryWorkflowIsAccepted() throws IOException {
		List<Path> workflows = workflowFiles();
		assertThat(workflows).hasSize(3);
		int sent = 0;
		for (Path file : workflows) {
			Map<String, Object> workflow = this.json.readValue(file.toFile(), Map.class);
			for (Object value : ((Map<String, Object>) workflow.get("tasks")).values()) {
				Map<String, Object> task = (Map<String, Object>) value;
				if ("dynatrace.automations:http-function".equals(task.get("action"))) {
					send(file, (Map<String, Object>) task.get("input"));
					sent++;
				}
			}
		}
		assertThat(sent).isEqualTo(4);
	}

	@Test
	void triggersWatchActiveAndClosedProblemsAndTheWaitIsTheTasksOwn() throws IOException {
		Map<String, Object> disable = read(WORKFLOWS.resolve("disable-error-injection.json"));
		assertThat(this.json.writeValueAsString(disable.get("trigger"))).contains("event.status == \\\"ACTIVE\\\"")
			.doesNotContain("OPEN");
		Map<String, Object> reenable = (Map<String, Object>) ((Map<String, Object>) disable.get("tasks"))
			.get("reenable_error_injection");
		assertThat(reenable.get("waitBefore")).isEqualTo(300);
		assertThat(reenable.get("predecessors")).isEqualTo(List.of("disable_error_injection"));
		Map<String, Object> restore = read(WORKFLOWS.resolve("restore-on-problem-close.json"));
		assertThat(this.json.writeValueAsString(restore.get("trigger"))).contains("\"onProblemClose\":true");
	}

	@Test
	void monacoTemplatesAreTheSameWorkflows() throws IOException {
		for (Path file : workflowFiles()) {
			String template = Files.readString(MONACO.resolve(file.getFileName()))
				.replace("{{`{{`}}", "{{")
				.replace("{{`}}`}}", "}}")
				.replace("{{ .bizobsUrl }}", SERVICE_URL)
				.replace("{{ .credentialId }}", CREDENTIAL);
			assertThat(this.json.readValue(template, Map.class)).as(file.toString()).isEqualTo(read(file));
		}
	}

	private void send(Path file, Map<String, Object> input) {
		Map<String, Object> authentication = (Map<String, Object>) input.get("authentication");
		assertThat(authentication).containsEntry("type", "token").containsEntry("credential", CREDENTIAL);
		String url = render((String) input.get("url"));
		assertThat(url).startsWith(SERVICE_URL);
		String payload = render((String) input.get("payload"));
		this.client.method(HttpMethod.valueOf((String) input.get("method")))
			.uri(url.substring(SERVICE_URL.length()))
			.headers((headers) -> {
				((Map<String, String>) input.get("headers")).forEach(headers::set);
				headers.setBearerAuth("workflow-credential");
			})
			.body(payload)
			.exchange()
			.expectStatus()
			.value((status) -> assertThat(status).as(file + " " + url + " " + payload).isBetween(200, 399));
	}

	private static String render(String template) {
		Matcher field = EVENT_FIELD.matcher(template);
		StringBuilder rendered = new StringBuilder();
		while (field.find()) {
			assertThat(SAMPLE_PROBLEM).containsKey(field.group(1));
			field.appendReplacement(rendered, Matcher.quoteReplacement(SAMPLE_PROBLEM.get(field.group(1))));
		}
		field.appendTail(rendered);
		assertThat(rendered.toString()).as("Jinja this test does not render").doesNotContain("{{", "{%");
		return rendered.toString();
	}

	private Map<String, Object> read(Path file) {
		return this.json.readValue(file.toFile(), Map.class);
	}

	private static List<Path> workflowFiles() throws IOException {
		try (Stream<Path> files = Files.list(WORKFLOWS)) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
	}

}
