package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import io.bizobs.remediation.flags.PerVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of the flags: the current flags on connect, then the flags whenever they
 * change, each the same document as {@code GET /feature-flags} with the version as the event
 * id. A change only marks the streams as due; one thread of their own then sends each reader the
 * flags as they are <em>then</em>, and only if their version is later than the last one that
 * reader got, so a reader sees versions only go forward (changes close together may come as one
 * event) and a slow reader never slows a change. A heartbeat comment every
 * {@code remediation.stream.heartbeat} finds readers that went away, and the number of open
 * streams is capped, per client and in all, with slots shared fairly ({@link #connect}).
 */
@Component
class FlagStream implements SmartLifecycle {

	private final FeatureFlagService flags;

	private final FlagsDocument document;

	private final PerVersion<Frames> frames = new PerVersion<>(this::render);

	private final StreamProperties properties;

	private final Set<Reader> readers = ConcurrentHashMap.newKeySet();

	/** The streams of each client without a key, oldest first; guarded by {@code slots}. */
	private final Map<String, Deque<Reader>> anonymous = new HashMap<>();

	/** Guards taking and giving back slots. */
	private final Object slots = new Object();

	/** Set when the flags changed and not every reader has been sent them yet. */
	private final AtomicBoolean due = new AtomicBoolean();

	private final Background background;

	/** One send at a time, in order, so that a reader never gets an older version after a newer one. */
	private final Executor sender;

	private final Timer fanOut;

	private volatile ScheduledFuture<?> heartbeats;

	private volatile boolean running;

	FlagStream(FeatureFlagService flags, FlagsDocument document, StreamProperties properties, MeterRegistry meters,
			Background background) {
		this.flags = flags;
		this.background = background;
		this.sender = background.serial();
		this.document = document;
		this.properties = properties;
		Gauge.builder("bizobs.stream.open", this.readers, Set::size)
			.description("Open change streams (GET /api/remediation/feature-flags/stream)")
			.register(meters);
		this.fanOut = Timer.builder("bizobs.stream.fanout")
			.description("How long one change took to be written to every open change stream")
			.register(meters);
	}

	/**
	 * Opens a stream for a reader. When every slot is taken, a newcomer takes one from the client
	 * holding the most (its oldest stream ends, and its reader reconnects), as long as that client
	 * would still hold more than the newcomer: no set of clients can keep another out by filling
	 * the slots. A caller with a key takes a slot from the clients without one whenever they hold
	 * any, and is never displaced by them.
	 * @param client the reader's client ({@code Clients.of} its address)
	 * @param keyed whether the reader presented a valid key
	 * @throws TooManyStreamsException if the client has as many open as one may, or no slot can be had
	 */
	SseEmitter connect(String client, boolean keyed, Format format) {
		Reader reader = new Reader(new SseEmitter(this.properties.timeout().toMillis()), keyed ? null : client,
				format);
		Reader displaced;
		synchronized (this.slots) {
			int held = (reader.client != null) ? held(reader.client) : -1;
			if (held >= this.properties.maxStreamsPerAddress()) {
				throw new TooManyStreamsException(client + " has " + this.properties.maxStreamsPerAddress()
						+ " change streams open, as many as one address may", this.properties.heartbeat());
			}
			displaced = (this.readers.size() < this.properties.maxStreams()) ? null : displaceableFor(held);
			if (this.readers.size() >= this.properties.maxStreams() && displaced == null) {
				throw new TooManyStreamsException("The service has " + this.properties.maxStreams()
						+ " change streams open, as many as it allows; poll GET /api/remediation/feature-flags meanwhile",
						this.properties.heartbeat());
			}
			if (displaced != null) {
				release(displaced);
			}
			this.readers.add(reader);
			if (reader.client != null) {
				this.anonymous.computeIfAbsent(reader.client, (key) -> new ArrayDeque<>()).addLast(reader);
			}
		}
		if (displaced != null) {
			displaced.emitter.complete();
		}
		reader.emitter.onCompletion(() -> release(reader));
		reader.emitter.onTimeout(() -> release(reader));
		reader.emitter.onError((ex) -> release(reader));
		this.sender.execute(() -> sendCurrent(reader));
		return reader.emitter;
	}

	/** Streams a client without a key holds. */
	private int held(String client) {
		Deque<Reader> streams = this.anonymous.get(client);
		return (streams != null) ? streams.size() : 0;
	}

	/**
	 * The oldest stream of the client without a key that holds the most, if it holds more than one
	 * beyond what the newcomer's client holds; a newcomer with a key ({@code held} of -1) may
	 * displace any such stream.
	 */
	private Reader displaceableFor(int held) {
		Deque<Reader> most = null;
		for (Deque<Reader> streams : this.anonymous.values()) {
			if (most == null || streams.size() > most.size()) {
				most = streams;
			}
		}
		return (most != null && most.size() > held + 1) ? most.peekFirst() : null;
	}

	@EventListener({ FlagsChanged.class, FlagsReloaded.class })
	void onChange() {
		// Many changes in a row make one round of sending, of the latest flags.
		if (this.running && this.due.compareAndSet(false, true)) {
			this.sender.execute(() -> {
				this.due.set(false);
				this.fanOut.record(() -> this.readers.forEach(this::sendCurrent));
			});
		}
	}

	private void sendCurrent(Reader reader) {
		FlagSnapshot snapshot = this.flags.snapshot();
		if (snapshot.version() <= reader.lastSent) {
			return;
		}
		Frames frames = this.frames.of(snapshot);
		try {
			reader.emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(
					(reader.format == Format.OFREP) ? frames.ofrep() : frames.flags(), MediaType.TEXT_EVENT_STREAM)));
			reader.lastSent = snapshot.version();
		}
		catch (IOException | IllegalStateException ex) {
			drop(reader, ex);
		}
	}

	/**
	 * A version's events, whole, in both formats: written to every reader as they are, one write
	 * each, rather than built and converted part by part for each reader again.
	 */
	private Frames render(FlagSnapshot snapshot) {
		FlagsDocument.Rendered rendered = this.document.of(snapshot);
		String head = "id:" + snapshot.version() + "\nretry:1000\n";
		// OFREP's event: an unnamed ("message") event telling the provider to fetch again.
		byte[] ofrep = (head + "data:{\"type\":\"refetchEvaluation\",\"etag\":\""
				+ rendered.etag().replace("\"", "\\\"") + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
		byte[] start = (head + "event:flags\ndata:").getBytes(StandardCharsets.UTF_8);
		byte[] flags = new byte[start.length + rendered.json().length + 2];
		System.arraycopy(start, 0, flags, 0, start.length);
		System.arraycopy(rendered.json(), 0, flags, start.length, rendered.json().length);
		flags[flags.length - 2] = '\n';
		flags[flags.length - 1] = '\n';
		return new Frames(flags, ofrep);
	}

	private record Frames(byte[] flags, byte[] ofrep) {
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
		synchronized (this.slots) {
			if (reader.released.compareAndSet(false, true)) {
				this.readers.remove(reader);
				Deque<Reader> streams = (reader.client != null) ? this.anonymous.get(reader.client) : null;
				if (streams != null) {
					streams.remove(reader);
					if (streams.isEmpty()) {
						this.anonymous.remove(reader.client);
					}
				}
			}
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

		/** The client, or {@code null} for a caller with a key. */
		private final String client;

		private final Format format;

		private final AtomicBoolean released = new AtomicBoolean();

		private long lastSent = -1;

		private Reader(SseEmitter emitter, String client, Format format) {
			this.emitter = emitter;
			this.client = client;
			this.format = format;
		}

	}

}
