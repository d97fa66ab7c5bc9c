package io.bizobs.remediation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md against what the code reads: the metadata the configuration processor
 * writes at build time from the {@code @ConfigurationProperties} records, and the environment
 * variables {@code application.yml} reads. Only {@code remediation.*} is held to it; the Spring
 * Boot settings the page lists are Spring Boot's to describe.
 *
 * <p>Maps and lists of records ({@code remediation.flags.<name>.type},
 * {@code remediation.security.keys[n].name}) appear in the metadata as the one map or list; their
 * fields are the record's components, so the page's {@code <name>} and {@code [n]} stand for
 * any key or index.
 */
class ConfigurationDocsTests {

	private static final Path PAGE = Path.of("docs/configuration.md");

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/**
	 * Read by {@code application.yml} itself (the H2 URL) rather than by a record, so no
	 * metadata describes it.
	 */
	private static final Set<String> READ_BY_APPLICATION_YML_ONLY = Set.of("remediation.data-dir");

	private static final Pattern CODE = Pattern.compile("`([^`]*)`");

	private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

	private static final Pattern MAP_OR_COLLECTION = Pattern
		.compile("java\\.util\\.(Map<java\\.lang\\.String,|List<|Set<|Collection<)(.+)>");

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)?");

	private static final JsonMapper json = JsonMapper.builder().build();

	/** By name, {@code <*>} and {@code [*]} standing for a map's key and a list's index. */
	private final Map<String, Setting> code = settingsTheCodeReads();

	private final Map<String, Row> page = settingsThePageDocuments();

	@Test
	void everySettingTheCodeReadsIsDocumented() {
		Set<String> undocumented = new TreeSet<>(this.code.keySet());
		undocumented.removeAll(this.page.keySet());
		assertThat(undocumented).as("remediation.* settings the code reads that %s does not list", PAGE).isEmpty();
	}

	@Test
	void everyDocumentedSettingIsReadByTheCode() {
		Set<String> unknown = new TreeSet<>(this.page.keySet());
		unknown.removeAll(this.code.keySet());
		unknown.removeAll(READ_BY_APPLICATION_YML_ONLY);
		assertThat(unknown).as("remediation.* settings %s lists that no @ConfigurationProperties record reads", PAGE)
			.isEmpty();
		Properties yml = applicationYml();
		for (String setting : READ_BY_APPLICATION_YML_ONLY) {
			assertThat(yml.values()).as("application.yml reads %s", setting)
				.anySatisfy((value) -> assertThat(String.valueOf(value)).contains("${" + setting + "}"));
		}
	}

	@Test
	void documentedDefaultsAreTheCodesDefaults() {
		List<String> wrong = new ArrayList<>();
		this.code.forEach((name, setting) -> {
			Row row = this.page.get(name);
			if (row == null || setting.defaultValue() == null) {
				return;
			}
			List<String> expected = setting.defaultValues();
			if (row.defaults().isEmpty() || !sameValues(setting.type(), expected, row.defaults())) {
				wrong.add(name + ": the code's default is " + expected + ", the page says " + row.defaults());
			}
		});
		assertThat(wrong).as("defaults in %s that differ from the code's", PAGE).isEmpty();
	}

	@Test
	void everyEnvironmentVariableApplicationYmlReadsIsDocumented() {
		Properties yml = applicationYml();
		List<String> wrong = new ArrayList<>();
		for (String name : yml.stringPropertyNames()) {
			if (!name.startsWith("remediation.")) {
				continue;
			}
			Set<String> read = environmentVariables(yml.getProperty(name));
			Row row = this.page.get(name);
			Set<String> documented = (row != null) ? row.environmentVariables() : Set.of();
			if (!documented.containsAll(read)) {
				wrong.add(name + ": application.yml reads " + read + ", the page names " + documented);
			}
		}
		this.page.forEach((name, row) -> {
			Set<String> named = new LinkedHashSet<>(row.environmentVariables());
			named.removeAll(environmentVariables(yml.getProperty(name, "")));
			// A list's index (keys[*] here) is a part of its own in a variable: KEYS_<n>_NAME.
			String upper = name.toUpperCase().replace("[*]", "_<n>");
			named.remove(upper.replace('.', '_').replace("-", ""));
			named.remove(upper.replace('.', '_').replace('-', '_'));
			if (!named.isEmpty()) {
				wrong.add(name + ": the page names " + named + ", which neither application.yml nor Spring Boot's "
						+ "binding of environment variables reads for it");
			}
		});
		assertThat(wrong).as("environment variables in %s", PAGE).isEmpty();
	}

	// The code's side

	@SuppressWarnings("unchecked")
	private static Map<String, Setting> settingsTheCodeReads() {
		ClassPathResource resource = new ClassPathResource(METADATA);
		assertThat(resource.exists()).as("%s, which the configuration processor writes when the build compiles",
				METADATA)
			.isTrue();
		Map<String, Object> metadata;
		try (InputStream in = resource.getInputStream()) {
			metadata = json.readValue(in, Map.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, Setting> settings = new LinkedHashMap<>();
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
			String name = (String) property.get("name");
			if (!name.startsWith("remediation.")) {
				continue;
			}
			String type = (String) property.get("type");
			Matcher container = MAP_OR_COLLECTION.matcher(type);
			Class<?> element = container.matches() ? recordOrNull(container.group(2)) : null;
			if (element == null) {
				settings.put(name, new Setting(type, property.get("defaultValue")));
				continue;
			}
			String prefix = name + (container.group(1).startsWith("Map") ? ".<*>." : "[*].");
			for (RecordComponent component : element.getRecordComponents()) {
				String field = prefix + kebab(component.getName());
				settings.put(field, new Setting(component.getType().getName(), null));
			}
		}
		assertThat(settings).as("remediation.* settings in %s", METADATA).isNotEmpty();
		return settings;
	}

	private static Class<?> recordOrNull(String typeName) {
		try {
			Class<?> type = Class.forName(typeName, false, ConfigurationDocsTests.class.getClassLoader());
			return type.isRecord() ? type : null;
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

	private static Properties applicationYml() {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new ClassPathResource("application.yml"));
		return yaml.getObject();
	}

	private static Set<String> environmentVariables(String value) {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = ENV_PLACEHOLDER.matcher(value);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	// The page's side

	/** The page's table rows that name a {@code remediation.*} setting, by normalised name. */
	private static Map<String, Row> settingsThePageDocuments() {
		List<String> lines;
		try {
			lines = Files.readAllLines(PAGE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, Row> rows = new LinkedHashMap<>();
		for (String line : lines) {
			if (!line.startsWith("|") || line.startsWith("|---")) {
				continue;
			}
			String[] cells = line.split("\\|", -1);
			assertThat(cells).as("a row of four cells: %s", line).hasSize(6);
			List<String> names = code(cells[1]).stream()
				.filter((name) -> name.startsWith("remediation."))
				.map(ConfigurationDocsTests::normalise)
				.toList();
			if (names.isEmpty()) {
				continue;
			}
			assertThat(names).as("one remediation.* setting per row, so that its default can be checked: %s", line)
				.hasSize(1);
			List<String> defaults = code(cells[3]).stream()
				.flatMap((value) -> Arrays.stream(value.split(",")))
				.map(String::trim)
				.toList();
			Row previous = rows.put(names.get(0),
					new Row(defaults, new LinkedHashSet<>(code(cells[2]))));
			assertThat(previous).as("%s listed once", names.get(0)).isNull();
		}
		assertThat(rows).as("remediation.* settings in %s", PAGE).isNotEmpty();
		return rows;
	}

	private static List<String> code(String cell) {
		List<String> code = new ArrayList<>();
		Matcher matcher = CODE.matcher(cell);
		while (matcher.find()) {
			code.add(matcher.group(1));
		}
		return code;
	}

	/** {@code remediation.flags.<name>.type} and {@code remediation.security.keys[n].name} as the code's names have them. */
	private static String normalise(String name) {
		return name.replaceAll("\\.<[^>]*>\\.", ".<*>.").replaceAll("\\[[^\\]]*\\]", "[*]");
	}

	// Comparing values

	private static boolean sameValues(String type, List<String> expected, List<String> documented) {
		if (type.startsWith("java.util.Set<")) {
			return expected.size() == documented.size() && new HashSet<>(expected).equals(new HashSet<>(documented));
		}
		if (expected.size() != documented.size()) {
			return false;
		}
		for (int i = 0; i < expected.size(); i++) {
			if (!sameValue(type, expected.get(i), documented.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean sameValue(String type, String expected, String documented) {
		switch (type) {
			case "java.time.Duration":
				Duration a = duration(expected);
				return a != null && a.equals(duration(documented));
			case "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float":
				try {
					return new BigDecimal(expected).compareTo(new BigDecimal(documented)) == 0;
				}
				catch (NumberFormatException ex) {
					return false;
				}
			case "java.lang.Boolean":
				return expected.equalsIgnoreCase(documented);
			default:
				return expected.equals(documented);
		}
	}

	/** As Spring Boot reads a duration: {@code 30s}, {@code 1m}, {@code 30000ms}, {@code 30000} (ms), {@code PT30S}. */
	private static Duration duration(String text) {
		if (text.startsWith("P") || text.startsWith("p")) {
			try {
				return Duration.parse(text);
			}
			catch (RuntimeException ex) {
				return null;
			}
		}
		Matcher matcher = DURATION.matcher(text);
		if (!matcher.matches()) {
			return null;
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
		return switch (unit) {
			case "ns" -> Duration.ofNanos(amount);
			case "us" -> Duration.ofNanos(amount * 1000);
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			default -> Duration.ofDays(amount);
		};
	}

	/**
	 * A setting the code reads.
	 *
	 * @param type its type as the metadata names it
	 * @param defaultValue its default as the metadata has it: a string, number, boolean, or a
	 * collection's elements as a string such as {@code [health, info, prometheus]}
	 */
	private record Setting(String type, Object defaultValue) {

		List<String> defaultValues() {
			if (this.defaultValue instanceof List<?> list) {
				return list.stream().map(String::valueOf).toList();
			}
			String text = String.valueOf(this.defaultValue);
			if (MAP_OR_COLLECTION.matcher(this.type).matches() && text.startsWith("[") && text.endsWith("]")) {
				String elements = text.substring(1, text.length() - 1).trim();
				return elements.isEmpty() ? List.of()
						: Arrays.stream(elements.split(",")).map(String::trim).toList();
			}
			return List.of(text);
		}

	}

	/**
	 * A setting the page documents.
	 *
	 * @param defaults the default column's code spans, a comma-separated one split into its elements
	 * @param environmentVariables the environment variable column's code spans
	 */
	private record Row(List<String> defaults, Set<String> environmentVariables) {
	}

}
