package io.bizobs.remediation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL for the tests, started from the build (Zonky's embedded PostgreSQL, whose
 * server binaries come from Maven Central), so the tests need no database on the machine. The
 * system property or environment variable {@code TEST_POSTGRES_URL} (with
 * {@code TEST_POSTGRES_USERNAME}, {@code TEST_POSTGRES_PASSWORD}) points them at an existing
 * server instead; its user must be allowed to create schemas and end sessions.
 */
public final class TestPostgres implements AutoCloseable {

	private static TestPostgres shared;

	private final Path dataDirectory;

	private final int port;

	private final String url;

	private final String username;

	private final String password;

	private volatile EmbeddedPostgres server;

	private TestPostgres(String url, String username, String password) {
		this.dataDirectory = null;
		this.port = -1;
		this.url = url;
		this.username = username;
		this.password = password;
	}

	private TestPostgres(Path dataDirectory, boolean restartable) {
		this.dataDirectory = dataDirectory;
		this.server = startServer(dataDirectory, 0, !restartable);
		this.port = this.server.getPort();
		this.url = "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
		this.username = "postgres";
		this.password = "";
	}

	/**
	 * The server the tests of this JVM share: the configured one, or one started now and
	 * stopped when the JVM ends.
	 */
	public static synchronized TestPostgres shared() {
		if (shared == null) {
			String url = setting("TEST_POSTGRES_URL", null);
			shared = (url != null) ? new TestPostgres(url, setting("TEST_POSTGRES_USERNAME", "postgres"),
					setting("TEST_POSTGRES_PASSWORD", "")) : start(false);
		}
		return shared;
	}

	/**
	 * A server of the caller's own, which it may stop and start again; always embedded. The
	 * caller closes it.
	 */
	public static TestPostgres startOwn() {
		return start(true);
	}

	private static TestPostgres start(boolean restartable) {
		try {
			return new TestPostgres(Files.createTempDirectory("bizobs-pg"), restartable);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String setting(String name, String otherwise) {
		String value = System.getProperty(name, System.getenv(name));
		return (value == null || value.isBlank()) ? otherwise : value;
	}

	/**
	 * @param clean whether the data directory goes when the server stops; a server that is to
	 * start again keeps it (a directory without data is initialised either way)
	 */
	private static EmbeddedPostgres startServer(Path dataDirectory, int port, boolean clean) {
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(clean)
				// Tests need speed, not durability against power loss: a restart still keeps
				// every commit, as the server shuts down cleanly.
				.setServerConfig("fsync", "off")
				.setServerConfig("full_page_writes", "off")
				.setServerConfig("max_connections", "200");
			if (port > 0) {
				builder.setPort(port);
			}
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The JDBC URL of a database whose tables go to the given schema. */
	public String url(String schema) {
		return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	/** A new schema name no other test uses. */
	public static String newSchema(String prefix) {
		return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	public DataSource dataSource() {
		return new DriverManagerDataSource(this.url, this.username, this.password);
	}

	public JdbcClient admin() {
		return JdbcClient.create(dataSource());
	}

	/** Stops the server, as an operator would for a restart; its data stays. */
	public void stop() {
		EmbeddedPostgres running = this.server;
		if (running == null) {
			throw new IllegalStateException("Not an embedded server of the test's own");
		}
		this.server = null;
		try {
			running.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts a stopped server again, on the same port with the same data. */
	public void start() {
		this.server = startServer(this.dataDirectory, this.port, false);
	}

	/** Stops the server and deletes its data. */
	@Override
	public void close() {
		if (this.server != null) {
			stop();
		}
		if (this.dataDirectory != null) {
			FileSystemUtils.deleteRecursively(this.dataDirectory.toFile());
		}
	}

}
