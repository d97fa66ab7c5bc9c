package io.bizobs.remediation.store;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real, migrated H2 file database for tests that need a store without a Spring context.
 */
public final class TestDatabase {

	private TestDatabase() {
	}

	public static FlagStore flagStore(Path directory) {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:file:" + directory.resolve("remediation") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa",
				"");
		Flyway.configure().dataSource(dataSource).load().migrate();
		return new FlagStore(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
	}

}
