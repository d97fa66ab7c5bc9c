package io.bizobs.remediation.web;

import io.bizobs.remediation.Background;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's connector with the {@link ConnectionGuard} in it, and the {@link UnreadBodyValve}.
 */
@Configuration(proxyBeanMethods = false)
class TomcatConnections {

	private static final int SOCKET_BUFFER = 4096;

	@Bean
	ConnectionGuard connectionGuard(ConnectionProperties properties, Background background, MeterRegistry meters) {
		return new ConnectionGuard(properties, background, meters);
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> guardedProtocol() {
		return (factory) -> {
			factory.setProtocol(GuardedNioProtocol.class.getName());
			factory.addContextValves(new UnreadBodyValve());
		};
	}

	@Bean
	TomcatProtocolHandlerCustomizer<GuardedNioProtocol> connectionGuardInProtocol(ConnectionGuard guard) {
		return (protocol) -> {
			protocol.guardWith(guard);
			// Every connection holds a read and a write buffer, and its request parser another read
			// buffer beside the header buffer: 4 KB rather than 8 KB each took a connection from
			// about 57 to 40 KB of heap, and the reads' throughput did not change (docs/benchmarks.md).
			protocol.socketProperties().setAppReadBufSize(SOCKET_BUFFER);
			protocol.socketProperties().setAppWriteBufSize(SOCKET_BUFFER);
		};
	}

}
