package io.bizobs.remediation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Instances of the service started in this JVM, each on a port of its own, for tests that need
 * several or need to stop one.
 */
public final class ServiceInstances implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/** Starts an instance with the given arguments; returns its base URL. */
	public String start(String... args) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		all.addAll(List.of(args));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RemediationApplication.class)
			.run(all.toArray(String[]::new));
		this.contexts.add(context);
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** The arguments that put an instance on a schema of a PostgreSQL, in a cluster named after it. */
	public static List<String> onPostgres(TestPostgres postgres, String schema) {
		return List.of("--spring.datasource.url=" + postgres.url(schema),
				"--spring.datasource.username=" + postgres.username(),
				"--spring.datasource.password=" + postgres.password(), "--spring.flyway.schemas=" + schema,
				"--remediation.cluster.name=" + schema);
	}

	public ConfigurableApplicationContext context(int index) {
		return this.contexts.get(index);
	}

	public static Map<?, ?> change(RestClient client, String flag, Object value) {
		return client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"flag\":\"" + flag + "\",\"value\":" + value + "}")
			.retrieve()
			.body(Map.class);
	}

	/** The index of the instance that leads, as its health details say, or -1 while none does. */
	public static int leader(List<RestClient> clients) {
		for (int i = 0; i < clients.size(); i++) {
			Map<?, ?> health = clients.get(i).get().uri("/actuator/health").retrieve().body(Map.class);
			Map<?, ?> cluster = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) health.get("components")).get("cluster"))
				.get("details");
			if (Boolean.TRUE.equals(cluster.get("leader"))) {
				return i;
			}
		}
		return -1;
	}

	public static long version(RestClient client) {
		return ((Number) client.get().uri("/api/remediation/feature-flags").retrieve().body(Map.class).get("version"))
			.longValue();
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.contexts.clear();
	}

}
