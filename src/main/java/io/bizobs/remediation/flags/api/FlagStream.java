package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of the flags: the current flags on connect, then the flags whenever they
 * change, each the same document as {@code GET /feature-flags} with the version as the event
 * id. A change only marks the streams as due; one thread of their own then sends each reader the
 * flags as they are <em>then</em>, and only if their version is later than the last one that
 * reader got, so a reader sees versions only go forward (changes close together may come as one
 * event) and a slow reader never slows a change. A heartbeat comment every
 * {@code remediation.stream.heartbeat} finds readers that went away, and the number of open
 * streams is capped, per address and in all.
 */
@Component
class FlagStream implements SmartLifecycle {

	private final FeatureFlagService flags;

	private final FlagsDocument document;

	private final StreamProperties properties;

	private final Set<Reader> readers = ConcurrentHashMap.newKeySet();

	private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	/** Set when the flags changed and not every reader has been sent them yet. */
	private final AtomicBoolean due = new AtomicBoolean();

	private final Background background;

	/** One send at a time, in order, so that a reader never gets an older version after a newer one. */
	private final Executor sender;

	private volatile ScheduledFuture<?> heartbeats;

	private volatile boolean running;

	FlagStream(FeatureFlagService flags, FlagsDocument document, StreamProperties properties, MeterRegistry meters,
			Background background) {
		this.flags = flags;
		this.background = background;
		this.sender = background.serial();
		this.document = document;
		this.properties = properties;
		Gauge.builder("bizobs.stream.open", this.open, AtomicInteger::get)
			.description("Open change streams (GET /api/remediation/feature-flags/stream)")
			.register(meters);
	}

	/**
	 * Opens a stream for a reader at the given address.
	 * @throws TooManyStreamsException if the address or the service has as many open as allowed
	 */
	SseEmitter connect(String address, Format format) {
		if (this.open.incrementAndGet() > this.properties.maxStreams()) {
			this.open.decrementAndGet();
			throw new TooManyStreamsException("The service has " + this.properties.maxStreams()
					+ " change streams open, as many as it allows; poll GET /api/remediation/feature-flags meanwhile",
					this.properties.heartbeat());
		}
		AtomicBoolean allowed = new AtomicBoolean();
		this.perAddress.compute(address, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.properties.maxStreamsPerAddress()) {
				return count;
			}
			allowed.set(true);
			return current + 1;
		});
		if (!allowed.get()) {
			this.open.decrementAndGet();
			throw new TooManyStreamsException(address + " has " + this.properties.maxStreamsPerAddress()
					+ " change streams open, as many as one address may", this.properties.heartbeat());
		}
		Reader reader = new Reader(new SseEmitter(this.properties.timeout().toMillis()), address, format);
		reader.emitter.onCompletion(() -> release(reader));
		reader.emitter.onTimeout(() -> release(reader));
		reader.emitter.onError((ex) -> release(reader));
		this.readers.add(reader);
		this.sender.execute(() -> sendCurrent(reader));
		return reader.emitter;
	}

	@EventListener({ FlagsChanged.class, FlagsReloaded.class })
	void onChange() {
		// Many changes in a row make one round of sending, of the latest flags.
		if (this.running && this.due.compareAndSet(false, true)) {
			this.sender.execute(() -> {
				this.due.set(false);
				this.readers.forEach(this::sendCurrent);
			});
		}
	}

	private void sendCurrent(Reader reader) {
		FlagSnapshot snapshot = this.flags.snapshot();
		if (snapshot.version() <= reader.lastSent) {
			return;
		}
		FlagsDocument.Rendered rendered = this.document.of(snapshot);
		SseEmitter.SseEventBuilder event = SseEmitter.event().id(Long.toString(snapshot.version())).reconnectTime(1000);
		if (reader.format == Format.OFREP) {
			// OFREP's event: an unnamed ("message") event telling the provider to fetch again.
			event.data("{\"type\":\"refetchEvaluation\",\"etag\":\"" + rendered.etag().replace("\"", "\\\"") + "\"}",
					MediaType.APPLICATION_JSON);
		}
		else {
			event.name("flags").data(rendered.json(), MediaType.APPLICATION_JSON);
		}
		try {
			reader.emitter.send(event);
			reader.lastSent = snapshot.version();
		}
		catch (IOException | IllegalStateException ex) {
			drop(reader, ex);
		}
	}

	private void heartbeat() {
		for (Reader reader : this.readers) {
			try {
				reader.emitter.send(SseEmitter.event().comment("heartbeat"));
			}
			catch (IOException | IllegalStateException ex) {
				drop(reader, ex);
			}
		}
	}

	/** Ends the request of a reader that went away, so the server lets go of its connection. */
	private void drop(Reader reader, Exception ex) {
		release(reader);
		try {
			reader.emitter.completeWithError(ex);
		}
		catch (RuntimeException ignored) {
			// Ended already.
		}
	}

	private void release(Reader reader) {
		if (reader.released.compareAndSet(false, true)) {
			this.readers.remove(reader);
			this.open.decrementAndGet();
			this.perAddress.computeIfPresent(reader.address, (address, count) -> (count <= 1) ? null : count - 1);
		}
	}

	@Override
	public void start() {
		this.heartbeats = this.background.every(this.properties.heartbeat(), () -> this.sender.execute(this::heartbeat));
		this.running = true;
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise wait
	 * for these never-ending requests.
	 */
	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> heartbeats = this.heartbeats;
		if (heartbeats != null) {
			heartbeats.cancel(false);
		}
		this.readers.forEach((reader) -> {
			release(reader);
			reader.emitter.complete();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/** What a stream sends. */
	enum Format {

		/** Events named {@code flags} with the flags document. */
		FLAGS,

		/**
		 * OFREP's change notification: {@code {"type":"refetchEvaluation","etag":…}}, the ETag of
		 * the bulk evaluation.
		 */
		OFREP

	}

	/** One open stream; {@code lastSent} is only touched by the sender, one task at a time. */
	private static final class Reader {

		private final SseEmitter emitter;

		private final String address;

		private final Format format;

		private final AtomicBoolean released = new AtomicBoolean();

		private long lastSent = -1;

		private Reader(SseEmitter emitter, String address, Format format) {
			this.emitter = emitter;
			this.address = address;
			this.format = format;
		}

	}

}
