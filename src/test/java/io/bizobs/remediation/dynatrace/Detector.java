package io.bizobs.remediation.dynatrace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * A shipped Davis anomaly detector, read from the Monaco project, and what Davis does with it
 * as far as these tests need: a static threshold over a sliding window of samples, and the
 * problem it opens.
 */
@SuppressWarnings("unchecked")
record Detector(Map<String, Object> settings, Map<String, String> input, Map<String, String> event) {

	/** A customer's journeys fail too often. */
	static final String ERROR_RATE = "error-rate-detector.json";

	/** Several of the services the journeys call fail too often. */
	static final String SERVICES_FAILING = "services-failing-detector.json";

	/** A service user's id for the Monaco parameter. */
	static final String ACTOR = "2f0d3c1e-8a4b-4c6d-9e7f-0123456789ab";

	/** Davis's event types and the problem categories they open. */
	private static final Map<String, String> CATEGORIES = Map.of("ERROR_EVENT", "ERROR", "AVAILABILITY_EVENT",
			"AVAILABILITY", "PERFORMANCE_EVENT", "SLOWDOWN", "RESOURCE_CONTENTION_EVENT", "RESOURCE_CONTENTION",
			"CUSTOM_ALERT", "CUSTOM_ALERT", "INFO", "INFO");

	static Detector shipped(String file) {
		try {
			String template = Files.readString(DynatraceWorkflows.MONACO.resolve(file)).replace("{{ .actor }}", ACTOR);
			Map<String, Object> settings = JsonMapper.builder().build().readValue(template, Map.class);
			List<Map<String, String>> input = (List<Map<String, String>>) ((Map<String, Object>) settings
				.get("analyzer")).get("input");
			List<Map<String, String>> event = (List<Map<String, String>>) ((Map<String, Object>) settings
				.get("eventTemplate")).get("properties");
			return new Detector(settings, pairs(input), pairs(event));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, String> pairs(List<Map<String, String>> pairs) {
		return pairs.stream().collect(Collectors.toMap((pair) -> pair.get("key"), (pair) -> pair.get("value")));
	}

	double threshold() {
		return Double.parseDouble(this.input.get("threshold"));
	}

	/** Whether enough of the last samples are over the threshold for Davis to raise an event. */
	boolean raises(List<Double> samples) {
		int window = Integer.parseInt(this.input.get("slidingWindow"));
		long violating = samples.subList(Math.max(0, samples.size() - window), samples.size())
			.stream()
			.filter((sample) -> "ABOVE".equals(this.input.get("alertCondition")) ? sample > threshold()
					: sample < threshold())
			.count();
		return violating >= Integer.parseInt(this.input.get("violatingSamples"));
	}

	/** Whether the last samples are clean enough for Davis to close the problem ({@code dealertingSamples} in a row). */
	boolean dealerts(List<Double> samples) {
		int clean = Integer.parseInt(this.input.get("dealertingSamples"));
		return samples.size() >= clean && samples.subList(samples.size() - clean, samples.size())
			.stream()
			.noneMatch((sample) -> "ABOVE".equals(this.input.get("alertCondition")) ? sample > threshold()
					: sample < threshold());
	}

	/** The problem Davis opens on the detector's event. */
	Map<String, Object> problem(String status) {
		return DynatraceWorkflows.problem(this.event.get("event.name"), status,
				CATEGORIES.get(this.event.get("event.type")));
	}

}
