package io.bizobs.remediation.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's page, with the flags in it where the caller may read them without a key: the
 * first paint shows them, before the scripts have read anything or the stream has connected
 * (a screenshot taken at load, a slow link). Whether the caller may is Spring Security's answer
 * for the read the page would otherwise make, so the page never shows more than that read would.
 */
@Controller
@Hidden
class ConsolePage {

	private static final String FLAGS_READ = "/api/console/flags";

	private static final String HEAD_END = "</head>";

	private final String beforeHeadEnd;

	private final String fromHeadEnd;

	private final ConsoleController console;

	private final WebInvocationPrivilegeEvaluator privileges;

	private final JsonMapper json;

	ConsolePage(ConsoleController console, WebInvocationPrivilegeEvaluator privileges, JsonMapper json) {
		String page = read(new ClassPathResource("static/index.html"));
		int headEnd = page.indexOf(HEAD_END);
		this.beforeHeadEnd = page.substring(0, headEnd);
		this.fromHeadEnd = page.substring(headEnd);
		this.console = console;
		this.privileges = privileges;
		this.json = json;
	}

	@GetMapping(path = { "/", "/index.html" }, produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> page(HttpServletRequest request) {
		boolean mayRead = this.privileges.isAllowed(request.getContextPath(), FLAGS_READ, "GET",
				SecurityContextHolder.getContext().getAuthentication());
		String page = mayRead ? this.beforeHeadEnd + "<script type=\"application/json\" id=\"first-paint\">"
				+ inScript(this.json.writeValueAsString(this.console.flags())) + "</script>\n" + this.fromHeadEnd
				: this.beforeHeadEnd + this.fromHeadEnd;
		// Private: a page asked for with a key carries what the key may read.
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache().cachePrivate())
			.contentType(MediaType.TEXT_HTML)
			.body(page);
	}

	/**
	 * JSON that cannot end its script element, whatever a reason says: outside strings JSON has
	 * none of these characters, and inside them the escapes mean the same.
	 */
	private static String inScript(String json) {
		return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
	}

	private static String read(ClassPathResource resource) {
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
