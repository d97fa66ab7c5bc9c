package io.bizobs.remediation.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.ipc.http.HttpSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Micrometer's metric lines with the events' authorization, so a platform token works
 * too (Micrometer itself only knows {@code Api-Token}), and warns when pushing starts to fail:
 * Micrometer logs a refusal at info only, so a token without {@code metrics.ingest} would go
 * unnoticed.
 */
class DynatraceMetricsSender implements HttpSender {

	private static final Logger logger = LoggerFactory.getLogger(DynatraceMetricsSender.class);

	private final HttpSender delegate;

	private final DynatraceEndpoint endpoint;

	private final AtomicBoolean failing = new AtomicBoolean();

	DynatraceMetricsSender(HttpSender delegate, DynatraceEndpoint endpoint) {
		this.delegate = delegate;
		this.endpoint = endpoint;
	}

	@Override
	public Response send(Request request) throws Throwable {
		Map<String, String> headers = new LinkedHashMap<>(request.getRequestHeaders());
		if (this.endpoint.authorization() != null) {
			headers.put("Authorization", this.endpoint.authorization());
		}
		try {
			Response response = this.delegate
				.send(new Request(request.getUrl(), request.getEntity(), request.getMethod(), headers));
			if (response.isSuccessful()) {
				succeeded();
			}
			else {
				failed("HTTP " + response.code() + " " + response.body());
			}
			return response;
		}
		catch (Throwable ex) {
			failed(ex.toString());
			throw ex;
		}
	}

	private void succeeded() {
		if (this.failing.compareAndSet(true, false)) {
			logger.info("[Metrics API] Pushing to {} works again", this.endpoint.describe());
		}
	}

	// Warned once per outage rather than at every push.
	private void failed(String reason) {
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("[Metrics API] Pushing to {} failed: {}", this.endpoint.describe(), reason);
		}
	}

}
