package io.bizobs.remediation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

/**
 * A reader of the change stream on a thread of its own, as a console or the simulator would
 * read it: it keeps the version of every {@code flags} event, in the order they came.
 */
public final class StreamReader implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	private final List<Long> versions = new CopyOnWriteArrayList<>();

	private final List<String> problems = new CopyOnWriteArrayList<>();

	private final HttpResponse<InputStream> response;

	private final Thread thread;

	private StreamReader(String baseUrl) throws IOException, InterruptedException {
		this.response = this.client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/remediation/feature-flags/stream"))
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		this.thread = new Thread(this::read, "stream-reader");
		this.thread.setDaemon(true);
		if (this.response.statusCode() == 200) {
			this.thread.start();
		}
	}

	/** Opens a stream; check {@link #status()} before expecting events. */
	public static StreamReader open(String baseUrl) {
		try {
			return new StreamReader(baseUrl);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int status() {
		return this.response.statusCode();
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String id = null;
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("id:")) {
					id = line.substring(3).trim();
				}
				else if (line.startsWith("data:")) {
					long version = ((Number) json.readValue(line.substring(5), Map.class).get("version")).longValue();
					if (id == null || Long.parseLong(id) != version) {
						this.problems.add("event id " + id + " but version " + version);
					}
					this.versions.add(version);
					id = null;
				}
			}
		}
		catch (IOException ex) {
			// Closed by the test, or by the server.
		}
	}

	/** The versions received so far, in order. */
	public List<Long> versions() {
		return List.copyOf(this.versions);
	}

	public long last() {
		List<Long> received = versions();
		return received.isEmpty() ? -1 : received.get(received.size() - 1);
	}

	/** Events whose id was not their version. */
	public List<String> problems() {
		return List.copyOf(this.problems);
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
