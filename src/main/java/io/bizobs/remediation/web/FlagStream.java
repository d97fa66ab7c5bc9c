package io.bizobs.remediation.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of the flags: the current flags on connect, then one event per change,
 * each the same document as {@code GET /feature-flags} with the version as the event id.
 * Events are sent from one thread of their own, so a slow reader never slows a change.
 */
@Component
class FlagStream implements SmartLifecycle {

	/** Readers reconnect after this; the {@code retry} field tells them how soon. */
	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	private final FeatureFlagService flags;

	private final FlagsDocument document;

	private final List<SseEmitter> readers = new CopyOnWriteArrayList<>();

	private final ExecutorService sender = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "flag-stream");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean running;

	FlagStream(FeatureFlagService flags, FlagsDocument document) {
		this.flags = flags;
		this.document = document;
	}

	SseEmitter connect() {
		SseEmitter reader = new SseEmitter(TIMEOUT.toMillis());
		reader.onCompletion(() -> this.readers.remove(reader));
		reader.onTimeout(reader::complete);
		reader.onError((ex) -> this.readers.remove(reader));
		this.readers.add(reader);
		FlagSnapshot current = this.flags.snapshot();
		this.sender.execute(() -> send(reader, current));
		return reader;
	}

	@EventListener
	void onChange(FlagsChanged changed) {
		sendToAll(changed.snapshot());
	}

	@EventListener
	void onReload(FlagsReloaded reloaded) {
		sendToAll(reloaded.snapshot());
	}

	private void sendToAll(FlagSnapshot snapshot) {
		this.sender.execute(() -> this.readers.forEach((reader) -> send(reader, snapshot)));
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise wait
	 * for these never-ending requests.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.readers.forEach(SseEmitter::complete);
		this.readers.clear();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	private void send(SseEmitter reader, FlagSnapshot snapshot) {
		try {
			reader.send(SseEmitter.event()
				.name("flags")
				.id(Long.toString(snapshot.version()))
				.reconnectTime(1000)
				.data(this.document.of(snapshot).json(), MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException ex) {
			this.readers.remove(reader);
		}
	}

}
