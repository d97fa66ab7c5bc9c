package io.bizobs.remediation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The samples in the README and docs/api.md are real answers. Each document's {@code curl}
 * commands are run in their order, as a newcomer pastes them, against a service of its own on the
 * embedded defaults (no key, no Dynatrace, from this host). Every answer a document shows after a
 * command must be the service's, but for times and ids; a command shown without one must succeed.
 * Where one fails, the service's answer in the message is the sample to copy.
 *
 * <p>A sample may leave parts out with {@code …}; an {@code HTTP/1.1} block between the command
 * and its JSON gives the status and headers.
 */
class DocSamplesTests {

	private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```\\n?", Pattern.DOTALL);

	/** Left out, a time, or an id: what a sample cannot be held to. */
	private static final Pattern LOOSE = Pattern
		.compile("…|\"\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private final HttpClient http = HttpClient.newHttpClient();

	@ParameterizedTest
	@ValueSource(strings = { "README.md", "docs/api.md" })
	void everySampleAnswerIsWhatTheServiceAnswers(String document, @TempDir Path data) throws Exception {
		List<Sample> samples = Sample.in(Files.readString(Path.of(document)));
		assertThat(samples).as("the curl commands of " + document).hasSizeGreaterThanOrEqualTo(3);
		try (ServiceInstances instances = new ServiceInstances()) {
			String base = instances.start("--remediation.data-dir=" + data, "--remediation.security.api-key=",
					"--remediation.dynatrace.environment=", "--remediation.simulator.continuous.enabled=false");
			for (Sample sample : samples) {
				HttpResponse<String> answer = this.http.send(sample.request(base), HttpResponse.BodyHandlers.ofString());
				String said = document + ": " + sample.command();
				if (sample.head() != null) {
					String head = "HTTP/1.1 " + answer.statusCode() + "\n" + sample.headerNames()
						.stream()
						.map((name) -> name + ": " + answer.headers().firstValue(name).orElse(""))
						.reduce("", (all, line) -> all + line + "\n");
					assertThat(head.strip()).as(said).matches(loose(sample.head().strip()));
				}
				if (sample.json() != null) {
					assertThat(answer.body()).as(said).matches(loose(sample.json().strip()));
				}
				else {
					assertThat(answer.statusCode()).as(said + " answered " + answer.body()).isBetween(200, 299);
				}
			}
		}
	}

	/** The sample as a pattern: literal, but for what {@link #LOOSE} matches. */
	private static Pattern loose(String sample) {
		StringBuilder pattern = new StringBuilder();
		Matcher loose = LOOSE.matcher(sample);
		int from = 0;
		while (loose.find()) {
			pattern.append(Pattern.quote(sample.substring(from, loose.start())));
			String part = loose.group();
			pattern.append(part.equals("…") ? ".*?" : part.startsWith("\"") ? "\"\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\""
					: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
			from = loose.end();
		}
		pattern.append(Pattern.quote(sample.substring(from)));
		return Pattern.compile(pattern.toString(), Pattern.DOTALL);
	}

	private record Block(String language, String text, int start, int end) {
	}

	/**
	 * One {@code curl} command and what the document shows it answers.
	 *
	 * @param head the status line and headers shown, or {@code null}
	 * @param json the body shown, or {@code null}
	 */
	private record Sample(String command, String head, String json) {

		static List<Sample> in(String document) {
			List<Block> blocks = new ArrayList<>();
			Matcher block = BLOCK.matcher(document);
			while (block.find()) {
				blocks.add(new Block(block.group(1), block.group(2), block.start(), block.end()));
			}
			List<Sample> samples = new ArrayList<>();
			for (int i = 0; i < blocks.size(); i++) {
				if (!blocks.get(i).language().equals("bash")) {
					continue;
				}
				String head = null;
				String json = null;
				int next = i + 1;
				if (follows(document, blocks, next, "") && blocks.get(next).text().startsWith("HTTP/1.1 ")) {
					head = blocks.get(next++).text();
				}
				if (follows(document, blocks, next, "json")) {
					json = blocks.get(next).text();
				}
				List<String> commands = commands(blocks.get(i).text());
				for (int c = 0; c < commands.size(); c++) {
					boolean last = c == commands.size() - 1;
					samples.add(new Sample(commands.get(c), last ? head : null, last ? json : null));
				}
			}
			return samples;
		}

		/** Whether that block, of that language, comes right after the one before it. */
		private static boolean follows(String document, List<Block> blocks, int index, String language) {
			return index < blocks.size() && blocks.get(index).language().equals(language)
					&& document.substring(blocks.get(index - 1).end(), blocks.get(index).start()).isBlank();
		}

		/**
		 * The block's {@code curl} commands: a line ends a command, as in a shell, unless a
		 * backslash continues it or a quote is open.
		 */
		private static List<String> commands(String block) {
			List<String> lines = new ArrayList<>();
			StringBuilder line = new StringBuilder();
			char quote = 0;
			for (int i = 0; i < block.length(); i++) {
				char c = block.charAt(i);
				if (quote == 0 && c == '\\' && i + 1 < block.length() && block.charAt(i + 1) == '\n') {
					i++;
				}
				else if (quote == 0 && c == '\n') {
					lines.add(line.toString().strip());
					line.setLength(0);
				}
				else {
					quote = (quote == 0 && (c == '\'' || c == '"')) ? c : (c == quote) ? 0 : quote;
					line.append(c);
				}
			}
			lines.add(line.toString().strip());
			return lines.stream().filter((command) -> command.startsWith("curl ")).toList();
		}

		List<String> headerNames() {
			return this.head.strip().lines().skip(1).map((line) -> line.substring(0, line.indexOf(':'))).toList();
		}

		HttpRequest request(String base) throws IOException {
			List<String> words = words(this.command);
			String method = null;
			String body = null;
			String url = null;
			HttpRequest.Builder request = HttpRequest.newBuilder();
			for (int i = 1; i < words.size(); i++) {
				switch (words.get(i)) {
					case "-X" -> method = words.get(++i);
					case "-H" -> {
						String header = words.get(++i);
						request.header(header.substring(0, header.indexOf(':')).strip(),
								header.substring(header.indexOf(':') + 1).strip());
					}
					case "-d", "--data" -> body = words.get(++i);
					case "-s", "-i", "-sS" -> {
					}
					default -> {
						assertThat(words.get(i)).as("a curl option this test knows, or the URL").startsWith("http://localhost:8080/");
						url = base + words.get(i).substring("http://localhost:8080".length());
					}
				}
			}
			method = (method != null) ? method : (body != null) ? "POST" : "GET";
			return request.uri(URI.create(url))
				.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
						: HttpRequest.BodyPublishers.noBody())
				.build();
		}

		/** The command's words, as a shell splits them: quotes group, single quotes keep all. */
		private static List<String> words(String command) {
			List<String> words = new ArrayList<>();
			StringBuilder word = null;
			char quote = 0;
			for (int i = 0; i < command.length(); i++) {
				char c = command.charAt(i);
				if (quote != 0) {
					if (c == quote) {
						quote = 0;
					}
					else if (quote == '"' && c == '\\' && i + 1 < command.length()) {
						word.append(command.charAt(++i));
					}
					else {
						word.append(c);
					}
				}
				else if (Character.isWhitespace(c)) {
					if (word != null) {
						words.add(word.toString());
						word = null;
					}
				}
				else {
					word = (word != null) ? word : new StringBuilder();
					if (c == '\'' || c == '"') {
						quote = c;
					}
					else {
						word.append(c);
					}
				}
			}
			if (word != null) {
				words.add(word.toString());
			}
			return words;
		}

	}

}
