package io.bizobs.remediation.store;

import java.nio.file.Path;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real, migrated H2 file database for tests that need the store without a Spring context.
 *
 * @param flags the flags, their versions and the audit
 * @param outbox the events waiting for delivery
 * @param ramps the error-rate ramps
 */
public record TestDatabase(FlagStore flags, EventOutbox outbox, RampStore ramps) {

	public static TestDatabase open(Path directory) {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:file:" + directory.resolve("remediation") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa",
				"");
		Flyway.configure().dataSource(dataSource).load().migrate();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		FlagStore flags = new FlagStore(jdbc, transactions, JsonMapper.builder().build(), (version) -> {
		});
		return new TestDatabase(flags, new EventOutbox(jdbc, transactions, flags), new RampStore(jdbc));
	}

}
