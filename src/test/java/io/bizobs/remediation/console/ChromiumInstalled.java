package io.bizobs.remediation.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the console's browser tests only where Debian's Chromium and its driver are installed, and
 * says which of the two is missing: a browser without its driver is the usual half-install.
 */
class ChromiumInstalled implements ExecutionCondition {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final PrintStream NATIVE_ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
			StandardCharsets.UTF_8);

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		List<String> missing = new ArrayList<>();
		if (!Files.isExecutable(CHROMIUM)) {
			missing.add("the browser (" + CHROMIUM + ", Debian's chromium)");
		}
		if (!Files.isExecutable(CHROMEDRIVER)) {
			missing.add("the driver (" + CHROMEDRIVER + ", Debian's chromium-driver)");
		}
		if (missing.isEmpty()) {
			return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
		}
		String reason = "The console's browser tests are skipped: " + String.join(" and ", missing)
				+ ((missing.size() == 1) ? " is" : " are") + " not installed. Run 'apt-get install -y chromium chromium-driver', then "
				+ "'./mvnw test -Dtest=ConsoleBrowserTests' (.ci/run installs them)";
		if (context.getTestMethod().isEmpty()) {
			// The build's output, not the test's (which Surefire writes to a file): a skip must be seen.
			NATIVE_ERR.println(reason);
			NATIVE_ERR.flush();
		}
		return ConditionEvaluationResult.disabled(reason);
	}

}
