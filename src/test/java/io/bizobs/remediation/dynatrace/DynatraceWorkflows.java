package io.bizobs.remediation.dynatrace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped workflows, and what the Workflows engine does with them, as far as these tests
 * need: which workflow a Davis problem starts, and how an HTTP task goes out. The task's
 * authorization comes from its {@code credential} and the vault, as in Dynatrace, never from the
 * test, so a workflow file that does not carry it is refused here as it would be there.
 */
@SuppressWarnings("unchecked")
final class DynatraceWorkflows {

	static final Path WORKFLOWS = Path.of("docs/dynatrace/workflows");

	static final Path TEMPLATES = Path.of("docs/dynatrace/templates");

	static final Path MONACO = Path.of("docs/dynatrace/monaco/bizobs-self-healing");

	/** Where the files say the service is, replaced by the service under test. */
	static final String SERVICE_URL = "https://bizobs.example.com";

	static final String CREDENTIAL = "CREDENTIALS_VAULT-BIZOBS-REMEDIATION-KEY";

	/** Where the files name the service user the workflows run as. */
	static final String ACTOR = "WORKFLOW-ACTOR-SERVICE-USER-ID";

	static final String HTTP_ACTION = "dynatrace.automations:http-function";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final Pattern EVENT_FIELD = Pattern.compile("\\{\\{\\s*event\\(\\)\\['([^']+)'\\]\\s*}}");

	/** The Davis problem categories of a problem trigger, by the problem's {@code event.category}. */
	private static final Map<String, String> CATEGORIES = Map.of("ERROR", "error", "AVAILABILITY", "availability",
			"SLOWDOWN", "slowdown", "RESOURCE_CONTENTION", "resource", "CUSTOM_ALERT", "custom", "INFO", "info",
			"MONITORING_UNAVAILABLE", "monitoringUnavailable");

	private DynatraceWorkflows() {
	}

	/**
	 * Gives the service a write key limited to some flags, as the README tells an admin to for
	 * the workflows: configured by its SHA-256, the key itself only in the vault.
	 */
	static void writeKey(DynamicPropertyRegistry registry, int index, String name, String key, String... flags) {
		String prefix = "remediation.security.keys[" + index + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "key-sha256", () -> sha256(key));
		registry.add(prefix + "access", () -> "write");
		registry.add(prefix + "flags", () -> String.join(",", flags));
	}

	/** As {@code printf %s KEY | sha256sum} gives it in the README. */
	private static String sha256(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Every workflow, by file name, in the Automation API's JSON form. */
	static List<Workflow> all() {
		try (Stream<Path> files = Files.list(WORKFLOWS)) {
			return files.filter((file) -> file.toString().endsWith(".json"))
				.sorted()
				.map((file) -> new Workflow(file.getFileName().toString(), json.readValue(file.toFile(), Map.class)))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The workflows a Davis problem event starts. */
	static List<Workflow> startedBy(Map<String, Object> problem) {
		return all().stream().filter((workflow) -> workflow.startsOn(problem)).toList();
	}

	/**
	 * A Davis problem event with the fields the triggers and tasks read, shaped like the
	 * examples in Dynatrace's own workflow samples.
	 */
	static Map<String, Object> problem(String name, String status, String category) {
		return Map.of("event.id", "-4711081512345678901_1764300000000V2", "display_id", "P-24112801", "event.kind",
				"DAVIS_PROBLEM", "event.name", name, "event.status", status, "event.category", category);
	}

	/** @param file the file name, also the workflow's name in the templates and Monaco */
	record Workflow(String file, Map<String, Object> json) {

		String name() {
			return this.file.replace(".json", "");
		}

		Map<String, Object> tasks() {
			return (Map<String, Object>) this.json.get("tasks");
		}

		/** The HTTP tasks in the order the workflow runs them (top to bottom). */
		List<Map<String, Object>> httpTasks() {
			return tasks().values()
				.stream()
				.map((task) -> (Map<String, Object>) task)
				.filter((task) -> HTTP_ACTION.equals(task.get("action")))
				.sorted(Comparator.comparing((task) -> (Integer) ((Map<String, Object>) task.get("position")).get("y")))
				.toList();
		}

		Map<String, Object> problemTrigger() {
			Map<String, Object> configuration = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) this.json
				.get("trigger")).get("eventTrigger")).get("triggerConfiguration");
			assertThat(configuration.get("type")).isEqualTo("davis-problem");
			return (Map<String, Object>) configuration.get("value");
		}

		/**
		 * Whether a Davis problem trigger fires: an active problem of a chosen category, or a
		 * closed one if the trigger watches closing too, that passes the custom filter.
		 */
		boolean startsOn(Map<String, Object> problem) {
			Map<String, Object> trigger = problemTrigger();
			assertThat((Map<String, Object>) trigger.get("entityTags")).as("entity tags this stand-in ignores")
				.isEmpty();
			Map<String, Object> categories = (Map<String, Object>) trigger.get("categories");
			boolean category = Boolean.TRUE.equals(categories.get(CATEGORIES.get(problem.get("event.category"))));
			boolean status = "ACTIVE".equals(problem.get("event.status"))
					|| ("CLOSED".equals(problem.get("event.status")) && Boolean.TRUE.equals(trigger.get("onProblemClose")));
			return category && status && ProblemFilter.matches((String) trigger.get("customFilter"), problem);
		}

		/**
		 * Runs the HTTP tasks as Dynatrace would: the URL, method, headers and payload of the task
		 * with its Jinja rendered for the problem, authorized by the vault's token for the task's
		 * credential with the task's token prefix.
		 */
		List<HttpResponse<String>> runHttpTasks(Map<String, Object> problem, URI service, Map<String, String> vault) {
			List<HttpResponse<String>> responses = new ArrayList<>();
			for (Map<String, Object> task : httpTasks()) {
				Map<String, Object> input = (Map<String, Object>) task.get("input");
				String url = render((String) input.get("url"), problem);
				assertThat(url).startsWith(SERVICE_URL);
				HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service + url.substring(SERVICE_URL.length())))
					.method((String) input.get("method"),
							HttpRequest.BodyPublishers.ofString(render((String) input.get("payload"), problem)));
				((Map<String, String>) input.getOrDefault("headers", Map.of())).forEach(request::header);
				Map<String, String> credential = (Map<String, String>) input.get("credential");
				if (credential != null && vault.containsKey(credential.get("credentialId"))) {
					request.header("Authorization",
							credential.get("tokenPrefix") + " " + vault.get(credential.get("credentialId")));
				}
				try {
					responses.add(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			return responses;
		}

	}

	/** Renders the {@code {{ event()['field'] }}} expressions the tasks use. */
	static String render(String template, Map<String, Object> problem) {
		Matcher field = EVENT_FIELD.matcher(template);
		StringBuilder rendered = new StringBuilder();
		while (field.find()) {
			assertThat(problem).as("a problem field the tasks read").containsKey(field.group(1));
			field.appendReplacement(rendered, Matcher.quoteReplacement(String.valueOf(problem.get(field.group(1)))));
		}
		field.appendTail(rendered);
		assertThat(rendered.toString()).as("Jinja this stand-in does not render").doesNotContain("{{", "{%");
		return rendered.toString();
	}

}
