package io.bizobs.remediation.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.regex.Pattern;

import io.bizobs.remediation.DynatraceDouble;
import io.bizobs.remediation.FlagList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console in a real headless Chromium, against the whole service with a key
 * configured, journeys running and a Dynatrace stand-in: what an operator sees and does, in the
 * order one would. Ends with the screenshot in the README (docs/console.png).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"remediation.security.api-key=" + ConsoleBrowserTests.KEY,
		// Journeys in milliseconds, a short statistics window and frequent samples: the chart
		// shows the loop's effect within the few seconds the tests take.
		"remediation.simulator.continuous.enabled=true", "remediation.simulator.continuous.interval=200ms",
		"remediation.simulator.latency-scale=0.01", "remediation.simulator.stats-window=4s",
		"remediation.simulator.seed=17", "remediation.console.sample-interval=500ms",
		// A runbook whose one step is verified at its first sample, so a verdict shows within seconds.
		"remediation.guards.sample-interval=500ms", "remediation.runbooks.canary-down.description=Shrink the canary",
		"remediation.runbooks.canary-down.steps[0].name=canary-10",
		"remediation.runbooks.canary-down.steps[0].flags.canaryTrafficPercent=10",
		"remediation.runbooks.canary-down.steps[0].guard.problem-closed=false",
		"remediation.runbooks.canary-down.steps[0].guard.error-rate-below=1.0",
		"remediation.runbooks.canary-down.steps[0].guard.settle-seconds=0",
		"remediation.runbooks.canary-down.steps[0].guard.samples=1",
		"remediation.runbooks.canary-down.restore=false" })
@AutoConfigureRestTestClient
@ExtendWith(ChromiumInstalled.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests {

	static final String KEY = "console-test-key";

	private static final Duration WAIT = Duration.ofSeconds(10);

	static final DynatraceDouble dynatrace = new DynatraceDouble();

	@TempDir
	static Path dataDir;

	@TempDir
	static Path browserProfile;

	static WebDriver driver;

	@Autowired
	RestTestClient client;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", dynatrace::url);
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.CONSOLE-TEST");
	}

	@BeforeAll
	static void startBrowser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(ChromiumInstalled.CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir=" + browserProfile, "--window-size=1366,1000");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		// The driver named, so Selenium Manager never looks for one on the network.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(ChromiumInstalled.CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
		dynatrace.close();
	}

	@AfterEach
	void browserConsoleShowsNoErrors() {
		assertThat(severeBrowserLogs()).isEmpty();
	}

	/**
	 * What a newcomer's {@code chromium --headless --dump-dom} (or {@code --screenshot}) sees: the
	 * page as it stands at load, before any read the scripts start has answered.
	 */
	@Test
	@Order(1)
	void theFirstPaintShowsEveryFlagBeforeAnythingIsRead() throws Exception {
		Process chromium = new ProcessBuilder(ChromiumInstalled.CHROMIUM.toString(), "--headless=new", "--no-sandbox",
				"--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
				"--user-data-dir=" + Files.createTempDirectory(dataDir, "dump-dom"), "--dump-dom",
				"http://localhost:" + this.port + "/")
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(chromium.waitFor(30, TimeUnit.SECONDS)).isTrue();

		Map<String, Object> flags = apiFlags();
		flags.forEach((flag, value) -> assertThat(dom).as(flag)
			.containsPattern("data-flag=\"" + flag + "\"[^>]*><div class=\"flag-head\"><h3[^>]*>" + flag
					+ "</h3><span class=\"value\" data-role=\"value\">"
					+ Pattern.quote(this.json.writeValueAsString(value)) + "</span>"));
		assertThat(dom).doesNotContain("Reconnecting");
	}

	@Test
	@Order(1)
	void withoutAKeyThePageListsEveryFlagWithItsValueReadOnly() {
		open();
		Map<String, Object> flags = apiFlags();
		waitFor(() -> driver.findElements(By.cssSelector("#flag-list .flag")).size() == flags.size());
		flags.forEach((flag, value) -> assertThat(text("[data-flag='" + flag + "'] .value"))
			.isEqualTo(this.json.writeValueAsString(value)));
		assertThat(text("#key-status")).startsWith("Read-only");
		assertThat(driver.findElement(By.id("flag-errorInjectionEnabled-switch")).isEnabled()).isFalse();
		assertThat(driver.findElement(By.id("defensive")).isEnabled()).isFalse();
		waitFor(() -> text("#live").equals("Live"));

		// Readable on a phone: one column, nothing wider than the screen.
		driver.manage().window().setSize(new Dimension(390, 844));
		waitFor(() -> (Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth"));
		driver.manage().window().setSize(new Dimension(1366, 1000));
	}

	@Test
	@Order(2)
	void aWrongKeyShowsTheApisRefusalAndKeepsThePageReadOnly() {
		open();
		enterKey("not-the-key");
		waitFor(() -> text("#notice").contains("The service refused the key: The API key is not valid"));
		assertThat(text("#key-status")).startsWith("Read-only");
		assertThat(script("return sessionStorage.length")).isEqualTo(0L);
		// The refusal itself is the one error the browser logs: the 401 answered to the key.
		assertThat(severeBrowserLogs()).isNotEmpty().allSatisfy((entry) -> assertThat(entry).contains("401"));
	}

	@Test
	@Order(3)
	void aChangeWithAKeyAndAReasonLandsAndAppearsInTheTimelineWithItsDeliveryState() {
		open();
		enterKey(KEY);
		waitFor(() -> text("#key-status").startsWith("Key “default”: may change every flag"));
		assertThat(driver.switchTo().activeElement().getAttribute("id")).as("the focus stays on the key's controls")
			.isEqualTo("key-forget");
		long before = ((Number) apiFlags().get("canaryTrafficPercent")).longValue();
		long after = (before == 10) ? 20 : 10;

		WebElement input = driver.findElement(By.id("flag-canaryTrafficPercent-input"));
		waitFor(input::isEnabled);
		input.clear();
		input.sendKeys(after + "", Keys.ENTER);
		waitFor(() -> driver.findElement(By.id("change-dialog")).isDisplayed());
		// No reason, no change: the dialog says so before anything is sent.
		click("#change-dry-run");
		waitFor(() -> text("#change-error").contains("a reason is required"));
		driver.findElement(By.id("change-reason")).sendKeys("Canary errors climbing: shrinking the canary");
		driver.findElement(By.id("change-problem")).sendKeys("P-4711");
		new Select(driver.findElement(By.id("change-guard"))).selectByValue("rate");
		click("#change-dry-run");
		waitFor(() -> text("#change-preview").contains("canaryTrafficPercent: " + before + " → " + after));
		assertThat(text("#change-preview")).contains("Then watched: a verdict by");
		assertThat(((Number) apiFlags().get("canaryTrafficPercent")).longValue()).as("a dry run changes nothing")
			.isEqualTo(before);
		click("#change-apply");

		waitFor(() -> !driver.findElement(By.id("change-dialog")).isDisplayed());
		waitFor(() -> text("#notice").startsWith("Applied as version"));
		assertThat(((Number) apiFlags().get("canaryTrafficPercent")).longValue()).isEqualTo(after);
		waitFor(() -> text("[data-flag='canaryTrafficPercent'] .value").equals(after + ""));
		// The change's guard watches it: the flag says until when.
		waitFor(() -> text("[data-flag='canaryTrafficPercent']").contains("watching: verdict by"));
		String entry = "#timeline-list .entry[data-flag='canaryTrafficPercent']";
		waitFor(() -> text(entry).contains(before + " → " + after));
		assertThat(text(entry)).contains("by default · manual", "Canary errors climbing", "problem P-4711");
		waitFor(() -> text(entry + " [data-role='delivery']").equals("DELIVERED"));
		assertThat(text("[data-flag='canaryTrafficPercent'] .facts")).contains("by default (manual)",
				"Canary errors climbing", "problem P-4711");
	}

	@Test
	@Order(4)
	void aChangeMadeOverTheApiAppearsWithoutAReloadWithinASecond() {
		open();
		script("window.notReloaded = true");
		boolean before = (Boolean) apiFlags().get("cacheEnabled");

		this.client.post()
			.uri("/api/remediation/feature-flag")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("flag", "cacheEnabled", "value", !before, "reason", "Cache serves stale prices",
					"triggeredBy", "dynatrace_workflow", "problemId", "P-4712"))
			.exchange()
			.expectStatus()
			.isOk();
		long changed = System.nanoTime();

		new WebDriverWait(driver, Duration.ofSeconds(1), Duration.ofMillis(20))
			.until((page) -> text("[data-flag='cacheEnabled'] .value").equals(Boolean.toString(!before)));
		assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(1));
		assertThat(script("return window.notReloaded")).isEqualTo(true);
		waitFor(() -> text("#timeline-list .entry").contains("cacheEnabled"));
		assertThat(text("#timeline-list .entry")).contains("dynatrace_workflow", "problem P-4712");
	}

	@Test
	@Order(5)
	void theTimelineFiltersByTriggeredByAndProblem() {
		open();
		waitFor(() -> !driver.findElements(By.cssSelector("#timeline-list .entry")).isEmpty());
		driver.findElement(By.id("filter-problem")).sendKeys("P-4711");
		waitFor(() -> driver.findElements(By.cssSelector("#timeline-list .entry"))
			.stream()
			.allMatch((entry) -> entry.getText().contains("problem P-4711")));
		driver.findElement(By.id("filter-problem")).clear();
		driver.findElement(By.id("filter-triggered")).sendKeys("dynatrace_workflow");
		waitFor(() -> driver.findElements(By.cssSelector("#timeline-list .entry"))
			.stream()
			.allMatch((entry) -> entry.getText().contains("dynatrace_workflow")));
		// The timeline redraws as the stream brings changes: read it as it settles.
		waitFor(() -> text("#timeline-status").equals("1 change, newest first.")
				&& text("#timeline-list .entry").contains("cacheEnabled"));
	}

	@Test
	@Order(6)
	void aChangeMadeBetweenThePreviewAndTheConfirmationIsNotApplied() {
		open();
		previewCanary(30, "Canary at 30 %");
		assertThat(text("#change-preview")).contains("canaryTrafficPercent", "→ 30").doesNotContain("null");
		change("canaryTrafficPercent", 40, "A workflow got there first");

		click("#change-apply");
		waitFor(() -> text("#change-error").contains("The flags changed since the preview"));
		assertThat(text("#change-error")).contains("nothing was applied", "Preview the change again");
		assertThat(driver.findElement(By.id("change-apply")).isEnabled()).isFalse();
		assertThat(apiFlags()).containsEntry("canaryTrafficPercent", 40);
		// The browser logs the 412 it was answered, the one error expected here.
		assertThat(severeBrowserLogs()).singleElement().asString().contains("412");

		driver.findElement(By.id("change-reason")).sendKeys(Keys.ESCAPE);
		waitFor(() -> !driver.findElement(By.id("change-dialog")).isDisplayed());
	}

	@Test
	@Order(7)
	void theLoopGuardsRefusalSaysWhenToTryAgain() {
		// As many changes of the flag as the guard allows in its window (6 in 10 minutes), back where it was.
		for (int i = 0; i < 6; i++) {
			change("rateLimitingEnabled", i % 2 == 0, "Flapping");
		}
		open();
		WebElement toggle = driver.findElement(By.id("flag-rateLimitingEnabled-switch"));
		waitFor(toggle::isEnabled);
		toggle.sendKeys(Keys.SPACE);
		waitFor(() -> driver.findElement(By.id("change-dialog")).isDisplayed());
		driver.findElement(By.id("change-reason")).sendKeys("Once more");
		click("#change-dry-run");
		waitFor(() -> driver.findElement(By.id("change-apply")).isEnabled()
				|| !driver.findElement(By.id("change-error")).getText().isEmpty());
		if (driver.findElement(By.id("change-apply")).isEnabled()) {
			click("#change-apply");
		}
		waitFor(() -> text("#change-error").startsWith("Refused, too many in a short time"));
		// The guard's own words say when, once (the page adds Retry-After only where they do not).
		assertThat(text("#change-error")).containsPattern("(?i)try again in \\d+ s").doesNotContainPattern(
				"(?i)try again in .*try again in");
		assertThat(apiFlags()).containsEntry("rateLimitingEnabled", false);
		assertThat(severeBrowserLogs()).singleElement().asString().contains("429");
		click("#change-cancel");
	}

	@Test
	@Order(8)
	void aRunningRampShowsItsProgressAndStops() {
		open();
		this.client.post()
			.uri("/api/remediation/error-rate")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("targetRate", 0.02, "duration", 60, "reason", "Gradual rollback"))
			.exchange()
			.expectStatus()
			.isAccepted();
		waitFor(() -> text("[data-flag='errorRate'] .ramp").contains("Ramp running"));
		assertThat(text("[data-flag='errorRate'] .ramp")).contains("→ 0.02 over 60 s", "Gradual rollback", "ends in");

		// The ramp moves the flags' version on twice a second; a change of another flag still applies as previewed.
		previewCanary(35, "Less canary while the rate comes down");
		long previewed = apiVersion();
		waitFor(() -> apiVersion() > previewed);
		click("#change-apply");
		waitFor(() -> !driver.findElement(By.id("change-dialog")).isDisplayed());
		assertThat(apiFlags()).containsEntry("canaryTrafficPercent", 35);
		// The version the preview was made on was refused (412) before the page applied on the next one.
		assertThat(severeBrowserLogs()).allSatisfy((entry) -> assertThat(entry).contains("412"));

		// The button stays the same element while the ramp steps on, so a click or the keyboard focus is not lost.
		WebElement stop = driver.findElement(By.cssSelector("[data-role='stop-ramp']"));
		long beforeSteps = apiVersion();
		waitFor(() -> apiVersion() > beforeSteps + 1);
		stop.click();
		waitFor(() -> text("#notice").startsWith("Ramp stopped"));
		waitFor(() -> driver.findElements(By.cssSelector("[data-flag='errorRate'] .ramp")).isEmpty());
	}

	@Test
	@Order(9)
	void theTestEventReachesDynatrace() {
		open();
		waitFor(() -> text("#dynatrace-status").contains("/api/v2/events/ingest"));
		assertThat(text("#dynatrace-status")).contains("classic", "Api-Token token").doesNotContain("CONSOLE-TEST");
		waitFor(() -> driver.findElement(By.id("test-event")).isEnabled());
		click("#test-event");
		waitFor(() -> text("#test-event-result").startsWith("Dynatrace accepted the test event"));
	}

	@Test
	@Order(12)
	void defensiveModeIsOneChangeAndTheChartMarksItsEffect() throws IOException {
		// The runs before left error injection off.
		change("errorInjectionEnabled", true, "Faults back on for defensive mode");
		open();
		waitFor(() -> driver.findElement(By.id("defensive")).isEnabled());
		click("#defensive");
		driver.findElement(By.id("change-reason")).sendKeys("Journeys failing in several services");
		driver.findElement(By.id("change-problem")).sendKeys("P-24112601");
		driver.findElement(By.id("change-revert")).sendKeys("15 minutes");
		click("#change-dry-run");
		waitFor(() -> text("#change-preview").contains("errorInjectionEnabled: true → false"));
		assertThat(text("#change-preview")).contains("slowResponsesEnabled: true → false",
				"circuitBreakerEnabled: false → true", "Then back to the previous values at");
		click("#change-apply");
		waitFor(() -> text("#notice").startsWith("Applied as version"));
		waitFor(() -> text("[data-flag='errorInjectionEnabled'] .facts").contains("Auto-revert"));
		assertThat(text("[data-flag='errorInjectionEnabled'] .facts")).containsPattern("back to true in 1[45]:\\d\\d");

		// The loop: with errors off, every customer's error rate falls to nothing, after the marker.
		waitFor(() -> !driver.findElements(By.cssSelector("#loop-chart .marker")).isEmpty());
		// Its label, right of it and whole: the first flag of the change and how many more.
		waitFor(() -> driver.findElements(By.cssSelector("#loop-chart .marker-label"))
			.stream()
			.anyMatch((label) -> label.getText().equals("errorInjectionEnabled true → false (+2 more)")));
		assertThat((Boolean) script("const chart = document.querySelector('#loop-chart svg').getBoundingClientRect();"
				+ "return [...document.querySelectorAll('#loop-chart .marker-label')].every((label) => {"
				+ " const box = label.getBoundingClientRect(); return box.left >= chart.left && box.right <= chart.right; })"))
			.as("no label is cut off by the chart's edge")
			.isTrue();
		// The legend is redrawn at every sample: an element read may be replaced meanwhile.
		new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class).until((page) -> {
			List<WebElement> customers = driver.findElements(By.cssSelector("#loop-legend li"));
			return !customers.isEmpty() && customers.stream().allMatch((customer) -> customer.getText().endsWith(": 0 %"));
		});

		long height = (Long) script("return document.documentElement.scrollHeight");
		driver.manage().window().setSize(new Dimension(1366, (int) height));
		Files.write(Path.of("docs", "console.png"), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
		driver.manage().window().setSize(new Dimension(1366, 1000));
	}

	@Test
	@Order(10)
	void aRunbookStartedByHandIsPreviewedFollowedStepByStepAndStopped() {
		change("errorInjectionEnabled", true, "Faults back on for the runbook demo");
		open();
		// The key entered earlier is this tab's still.
		waitFor(() -> driver.findElement(By.id("run-dry-run")).isEnabled());
		new Select(driver.findElement(By.id("run-runbook"))).selectByValue("error-rate");
		driver.findElement(By.id("run-problem")).sendKeys("P-4242");
		// No reason, no run: the form says so before anything is sent.
		click("#run-dry-run");
		waitFor(() -> text("#run-error").contains("a reason are required"));
		driver.findElement(By.id("run-reason")).sendKeys("Umbrella's journeys failing");
		click("#run-dry-run");
		waitFor(() -> text("#run-preview").contains("Would start error-rate for problem P-4242. Step 1 would change "
				+ "errorInjectionEnabled."));
		assertThat(text("#run-preview")).contains("error-injection-off: errorInjectionEnabled=false",
				"defensive-mode: errorInjectionEnabled=false, slowResponsesEnabled=false, circuitBreakerEnabled=true");
		assertThat(apiFlags().get("errorInjectionEnabled")).as("a dry run changes nothing").isEqualTo(true);
		click("#run-start");

		waitFor(() -> text("#notice").startsWith("Run of error-rate for problem P-4242 started"));
		String run = "#run-list .run[data-state='RUNNING']";
		waitFor(() -> text(run).contains("problem P-4242"));
		assertThat(text(run)).contains("step 1 of 2", "by default (manual)", "Umbrella's journeys failing");
		// Step 1 is applied at once and watched: the time left to its verdict counts down from ten minutes.
		waitFor(() -> text(run + " .run-step[data-step='1']").matches("(?s).*watching: verdict at the latest in 9:\\d\\d.*"));
		assertThat(text(run + " .run-step[data-step='2']")).endsWith("not applied");
		assertThat(apiFlags().get("errorInjectionEnabled")).isEqualTo(false);

		click(run + " .run-stop");
		driver.findElement(By.cssSelector(run + " .run-stop-reason")).sendKeys("I take it");
		// The panel is read again every 2 s while a run is open: what is typed, and the focus, stay.
		long reads = runReads();
		waitFor(() -> runReads() >= reads + 2);
		driver.switchTo().activeElement().sendKeys(" from here");
		assertThat(driver.findElement(By.cssSelector(run + " .run-stop-reason")).getAttribute("value"))
			.isEqualTo("I take it from here");
		click(run + " .run-stop-confirm");
		waitFor(() -> text("#notice").contains("stopped (Stopped by default: I take it from here)"));
		String stopped = "#run-list .run[data-state='STOPPED']";
		waitFor(() -> text(stopped).contains("problem P-4242"));
		assertThat(text(stopped + " .run-step[data-step='1']")).contains("STOPPED");
		assertThat(driver.findElements(By.cssSelector(stopped + " .run-stop"))).as("nothing left to stop").isEmpty();
		assertThat(apiFlags().get("errorInjectionEnabled")).as("a stop leaves the flags as they are").isEqualTo(false);
	}

	@Test
	@Order(11)
	void aStepsVerdictShowsOnTheRunTheTimelineAndTheChart() {
		change("canaryTrafficPercent", 50, "Canary back to half for the runbook demo");
		open();
		// The key entered earlier is this tab's still.
		waitFor(() -> driver.findElement(By.id("run-dry-run")).isEnabled());
		new Select(driver.findElement(By.id("run-runbook"))).selectByValue("canary-down");
		driver.findElement(By.id("run-problem")).sendKeys("P-5151");
		driver.findElement(By.id("run-reason")).sendKeys("Canary errors climbing");
		click("#run-dry-run");
		waitFor(() -> driver.findElement(By.id("run-start")).isEnabled());
		click("#run-start");

		String verified = "#run-list .run[data-state='VERIFIED']";
		waitFor(() -> text(verified).contains("problem P-5151"));
		assertThat(text(verified + " .run-step[data-step='1']")).contains("canary-10", "VERIFIED");
		waitFor(() -> !driver.findElements(By.cssSelector("#timeline-list .entry[data-verdict='VERIFIED']")).isEmpty());
		assertThat(text("#timeline-list .entry[data-verdict='VERIFIED']")).contains("canaryTrafficPercent", "VERIFIED",
				"judges version");
		assertThat(text("#timeline-list .story:has(.entry[data-verdict='VERIFIED']) .entry:first-child .change"))
			.as("the verdict is told under the step's change")
			.isEqualTo("50 → 10");
		assertThat(driver.findElement(By.cssSelector("#timeline-list .entry[data-verdict='VERIFIED']"))
			.getAttribute("class")).contains("follows");
		waitFor(() -> !driver.findElements(By.cssSelector("#loop-chart .marker[data-kind='verdict']")).isEmpty());
	}

	@Test
	@Order(13)
	void theGuidesScenarioIsPreviewedPlayedAndResetFromTheConsole() {
		open();
		waitFor(() -> driver.findElement(By.id("scenario-dry-run")).isEnabled());
		new Select(driver.findElement(By.id("scenario-name"))).selectByValue("high-error-rate");
		click("#scenario-dry-run");
		// Defensive mode before left error injection off and the breaker on; the ramp moved errorRate.
		waitFor(() -> text("#scenario-preview").startsWith("Would change errorInjectionEnabled false → true, "
				+ "circuitBreakerEnabled true → false"));
		assertThat(text("#scenario-preview")).contains("errorRate above 0.05");
		assertThat(apiFlags().get("errorInjectionEnabled")).as("a dry run changes nothing").isEqualTo(false);
		click("#scenario-play");
		waitFor(() -> text("#notice").startsWith("Scenario high-error-rate played as version"));
		waitFor(() -> text("[data-flag='errorInjectionEnabled'] .value").equals("true"));
		String entry = "#timeline-list .entry[data-flag='errorInjectionEnabled']";
		waitFor(() -> text(entry).contains("default · scenario"));

		new Select(driver.findElement(By.id("scenario-name"))).selectByValue("reset");
		click("#scenario-dry-run");
		waitFor(() -> driver.findElement(By.id("scenario-play")).isEnabled());
		click("#scenario-play");
		waitFor(() -> text("#notice").startsWith("Scenario reset played as version"));
		assertThat(apiFlags()).containsEntry("slowResponsesEnabled", true)
			.containsEntry("circuitBreakerEnabled", false)
			.containsEntry("canaryTrafficPercent", 50);
	}

	@Test
	@Order(14)
	void aBulkChangeAndItsAutoRevertAreOneStoryUnderItsProblem() {
		Map<String, Object> before = apiFlags();
		boolean slow = !(Boolean) before.get("slowResponsesEnabled");
		boolean cache = !(Boolean) before.get("cacheEnabled");
		long version = ((Number) this.client.post()
			.uri("/api/remediation/feature-flags/bulk")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("flags", Map.of("slowResponsesEnabled", slow, "cacheEnabled", cache), "reason",
					"Shed load for a second", "problemId", "P-8080", "triggeredBy", "dynatrace_workflow",
					"revertAfterSeconds", 1))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("version")).longValue();
		open();
		driver.findElement(By.id("filter-problem")).sendKeys("P-8080");

		// The timeline redraws as it is read again: its entries are read at once, in the page.
		String story = "#timeline-list .story[data-version='" + version + "']";
		AtomicReference<List<?>> told = new AtomicReference<>();
		waitFor(() -> {
			told.set((List<?>) script("return [...document.querySelectorAll(\"" + story
					+ " .entry\")].map((entry) => entry.className + ' | ' + entry.innerText)"));
			return ((Number) script("return document.querySelectorAll('#timeline-list .story').length")).intValue() == 1
					&& told.get().size() == 4;
		});
		assertThat(told.get()).as("one story: the change, then its revert").satisfiesExactly(
				(change) -> assertThat((String) change).startsWith("entry |")
					.contains("version " + version, "dynatrace_workflow", "problem P-8080"),
				(change) -> assertThat((String) change).startsWith("entry |")
					.contains("version " + version, "dynatrace_workflow", "problem P-8080"),
				(revert) -> assertThat((String) revert).startsWith("entry follows |")
					.contains("auto_revert", "undoes version " + version, "problem P-8080"),
				(revert) -> assertThat((String) revert).startsWith("entry follows |")
					.contains("auto_revert", "undoes version " + version, "problem P-8080"));
		assertThat(text("#timeline-status")).isEqualTo("1 change, newest first.");
		assertThat(apiFlags()).containsEntry("slowResponsesEnabled", !slow).containsEntry("cacheEnabled", !cache);
	}

	/** How often the page has read the open runs. */
	private static long runReads() {
		return (Long) script("return performance.getEntriesByType('resource')"
				+ ".filter((entry) => entry.name.includes('/api/remediation/runs?open=true')).length");
	}

	private void change(String flag, Object value, String reason) {
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.header("X-API-Key", KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("flag", flag, "value", value, "reason", reason))
			.exchange()
			.expectStatus()
			.isOk();
	}

	/** Types the canary's new value, gives the reason and previews the change, ready to apply. */
	private void previewCanary(int percent, String reason) {
		WebElement input = driver.findElement(By.id("flag-canaryTrafficPercent-input"));
		waitFor(input::isEnabled);
		input.clear();
		input.sendKeys(Integer.toString(percent), Keys.ENTER);
		driver.findElement(By.id("change-reason")).sendKeys(reason);
		click("#change-dry-run");
		waitFor(() -> driver.findElement(By.id("change-apply")).isEnabled());
	}

	/**
	 * Opens the console and waits until it has checked access, the stream is live and the first
	 * reads have answered: the flags of the first paint come before all that.
	 */
	private void open() {
		driver.get("http://localhost:" + this.port + "/");
		waitFor(() -> !text("#key-status").equals("Checking access…"));
		waitFor(() -> !driver.findElements(By.cssSelector("[data-flag]")).isEmpty());
		waitFor(() -> text("#live").startsWith("Live") && !text("#timeline-status").isEmpty());
	}

	private void enterKey(String key) {
		WebElement input = driver.findElement(By.id("key-input"));
		input.sendKeys(key, Keys.ENTER);
	}

	private void click(String selector) {
		driver.findElement(By.cssSelector(selector)).click();
	}

	private static String text(String selector) {
		return driver.findElement(By.cssSelector(selector)).getText();
	}

	private static Object script(String script) {
		return ((JavascriptExecutor) driver).executeScript(script);
	}

	/** Waits for what the page shows; the panels redraw as they go, so an element may be replaced meanwhile. */
	private static void waitFor(BooleanSupplier condition) {
		new WebDriverWait(driver, WAIT).ignoring(NoSuchElementException.class)
			.ignoring(StaleElementReferenceException.class)
			.until((page) -> condition.getAsBoolean());
	}

	/** Reads and empties the browser's log: what it logged as errors since the last read. */
	private static List<String> severeBrowserLogs() {
		return driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	private Map<String, Object> apiFlags() {
		return FlagList.read(this.client).flags();
	}

	private long apiVersion() {
		return FlagList.read(this.client).version();
	}

}
