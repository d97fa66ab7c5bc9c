package io.bizobs.remediation.security;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AuthorizationManagerWebInvocationPrivilegeEvaluator.HttpServletRequestTransformer;
import org.springframework.security.web.access.PathPatternRequestTransformer;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The security boundary: API keys as Spring Security authentication, and authorization on the
 * same path matching Spring MVC routes by. Deny by default: what is not listed as open here
 * needs a write key.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	/**
	 * The reads: the simulator, dashboards and OpenFeature clients poll them. Open unless
	 * {@code reads-require-key}. OFREP evaluations change nothing, so their POSTs are reads too.
	 */
	static final List<Route> READS = List.of(new Route(HttpMethod.GET, "/api/**"),
			new Route(HttpMethod.HEAD, "/api/**"), new Route(HttpMethod.POST, "/ofrep/v1/evaluate/flags"),
			new Route(HttpMethod.POST, "/ofrep/v1/evaluate/flags/{key}"));

	/**
	 * The reads polled many times a second: they get a chain of their own with only the filters
	 * their rule needs (docs/benchmarks.md). Each is also one of the {@link #READS}, under the same
	 * rule in either chain.
	 */
	static final List<Route> POLLED_READS = List.of(new Route(HttpMethod.GET, "/api/remediation/feature-flags"),
			new Route(HttpMethod.HEAD, "/api/remediation/feature-flags"),
			new Route(HttpMethod.GET, "/api/remediation/flagd"), new Route(HttpMethod.HEAD, "/api/remediation/flagd"),
			new Route(HttpMethod.POST, "/ofrep/v1/evaluate/flags"),
			new Route(HttpMethod.POST, "/ofrep/v1/evaluate/flags/{key}"));

	/**
	 * A simulated journey changes no flag, but its outcome is what Dynatrace watches: enough failed
	 * journeys open a problem and start a remediation. With keys configured it needs one (any);
	 * without, anyone may start one, as many a second as the simulator lets one client.
	 */
	static final Route JOURNEYS = new Route(HttpMethod.POST, "/api/journey-simulation/simulate-journey");

	/** The API's own description, open to all. */
	private static final String[] API_DOCS = { "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**",
			"/swagger-ui.html", "/swagger-ui/**" };

	/**
	 * The operator console's page and static files, open to all, so that the page loads even where
	 * reads need a key, and then asks for one: what it shows comes through the API, under its rules.
	 */
	private static final String[] CONSOLE = { "/", "/index.html", "/console/**" };

	/**
	 * The console's own policy: its scripts and styles only from its files, never inline, nothing
	 * from another origin, never in a frame, and no form submitted by the browser, so a key typed
	 * into it can never end up in a URL.
	 */
	private static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	private static final List<String> KEY_SCHEMES = List.of("ApiToken", "Bearer", "ApiKey");

	@Bean
	ApiKeys apiKeys(ApiKeyProperties properties) {
		ApiKeys keys = new ApiKeys(properties);
		if (keys.isEmpty()) {
			logger.warn("[Remediation] No API key configured (REMEDIATION_API_KEY): anyone can read the flags, and "
					+ "changes are accepted from this host (loopback) only");
		}
		else {
			logger.info("[Remediation] {} API key(s) configured: {}", keys.names().size(), keys.names());
		}
		return keys;
	}

	/**
	 * Asks the rules about a request the service makes up (the console's page asks whether its
	 * caller may read the flags) as about a request that came in: its first rule is on the dispatch
	 * type, which the made-up request would otherwise refuse to tell.
	 */
	@Bean
	HttpServletRequestTransformer askedAsARequest() {
		PathPatternRequestTransformer paths = new PathPatternRequestTransformer();
		return (request) -> new HttpServletRequestWrapper(paths.transform(request)) {

			@Override
			public DispatcherType getDispatcherType() {
				return DispatcherType.REQUEST;
			}

		};
	}

	/** A bean, so that Spring Boot sets up no user with a generated password beside it. */
	@Bean
	ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys, ApiKeyProperties properties,
			Clock clock, MeterRegistry meters) {
		return new ApiKeyAuthenticationProvider(keys,
				new FailedKeyAttempts(properties.failedAttempts(), clock, meters));
	}

	/** Also the firewall's {@code RequestRejectedHandler}, which Spring Security finds as a bean. */
	@Bean
	SecurityProblems securityProblems(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver,
			ApiKeys keys) {
		return new SecurityProblems(resolver, !keys.isEmpty());
	}

	/**
	 * The polled reads: no request attribute for asynchronous handling (they answer at once), no
	 * servlet API wrapper and, while reads are open, no anonymous caller (their rule asks for
	 * none). A key presented is still checked, and the headers are the same as everywhere.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain polledReads(HttpSecurity http, ApiKeyProperties properties, ApiKeys keys,
			ApiKeyAuthenticationProvider provider, SecurityProblems problems) {
		RequestMatcher polled = new OrRequestMatcher(
				POLLED_READS.stream().<RequestMatcher>map((read) -> PathPatternRequestMatcher.withDefaults()
					.matcher(read.method(), read.pattern())).toList());
		HttpSecurity reads = stateless(http.securityMatcher(polled), properties, keys, provider, problems)
			.servletApi((servletApi) -> servletApi.disable())
			.authorizeHttpRequests((requests) -> read(requests.anyRequest(), properties));
		if (!properties.readsRequireKey()) {
			reads.anonymous((anonymous) -> anonymous.disable());
		}
		SecurityFilterChain chain = reads.build();
		return new DefaultSecurityFilterChain(polled, chain.getFilters()
			.stream()
			.filter((filter) -> !(filter instanceof WebAsyncManagerIntegrationFilter))
			.toList());
	}

	@Bean
	@Order(2)
	SecurityFilterChain api(HttpSecurity http, ApiKeyProperties properties, ApiKeys keys,
			ApiKeyAuthenticationProvider provider, SecurityProblems problems) {
		return stateless(http, properties, keys, provider, problems)
			.headers((headers) -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(consolePages(),
					new ContentSecurityPolicyHeaderWriter(CONSOLE_POLICY))))
			.authorizeHttpRequests((requests) -> authorize(requests, properties, keys))
			.build();
	}

	/**
	 * What both chains share: API keys as authentication, problems as the answers to a refusal,
	 * the context in the request only, and no session, form, log-in or CSRF token.
	 */
	private static HttpSecurity stateless(HttpSecurity http, ApiKeyProperties properties, ApiKeys keys,
			ApiKeyAuthenticationProvider provider, SecurityProblems problems) {
		AuthenticationFilter apiKeys = new AuthenticationFilter(new ProviderManager(provider),
				new ApiKeyAuthenticationConverter());
		// Authenticated: the request goes on, rather than being redirected as after a log-in form.
		apiKeys.setSuccessHandler((request, response, authentication) -> {
		});
		apiKeys.setFailureHandler(problems);
		return http.csrf((csrf) -> csrf.disable())
			.securityContext((context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.sessionManagement((session) -> session.disable())
			.requestCache((cache) -> cache.disable())
			// The headers that matter to a JSON API and to the pages it serves, written before the
			// answer rather than by a wrapper watching every write. Caching is the ETag's business.
			.headers((headers) -> headers.cacheControl((cache) -> cache.disable())
				.xssProtection((xss) -> xss.disable())
				.withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {

					@Override
					public <F extends HeaderWriterFilter> F postProcess(F filter) {
						filter.setShouldWriteHeadersEagerly(true);
						return filter;
					}

				}))
			.formLogin((form) -> form.disable())
			.httpBasic((basic) -> basic.disable())
			.logout((logout) -> logout.disable())
			.anonymous((anonymous) -> anonymous
				.authenticationFilter(new AnonymousCallerFilter(!keys.isEmpty(), properties.localHostNames())))
			.addFilterBefore(apiKeys, AnonymousAuthenticationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems));
	}

	/** The rule of every read, in either chain: open, or a read key where reads require one. */
	private static void read(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizedUrl reads,
			ApiKeyProperties properties) {
		if (properties.readsRequireKey()) {
			reads.hasRole("READ");
		}
		else {
			reads.permitAll();
		}
	}

	private static void authorize(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests,
			ApiKeyProperties properties, ApiKeys keys) {
		// What an authorized request dispatches to again: its asynchronous result, or its error.
		requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
		// The reads first: they are most of the traffic, and the first rule that matches decides.
		for (Route read : READS) {
			read(requests.requestMatchers(read.method(), read.pattern()), properties);
		}
		if (keys.isEmpty()) {
			requests.requestMatchers(JOURNEYS.method(), JOURNEYS.pattern()).permitAll();
		}
		else {
			requests.requestMatchers(JOURNEYS.method(), JOURNEYS.pattern()).hasRole("READ");
		}
		requests.requestMatchers(HttpMethod.GET, CONSOLE).permitAll();
		requests.requestMatchers(HttpMethod.HEAD, CONSOLE).permitAll();
		requests.requestMatchers(HttpMethod.GET, API_DOCS).permitAll();
		requests.requestMatchers(EndpointRequest.to("health")).permitAll();
		if (!properties.openActuatorEndpoints().isEmpty()) {
			requests.requestMatchers(EndpointRequest.to(properties.openActuatorEndpoints().toArray(String[]::new)))
				.permitAll();
		}
		requests.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("READ");
		requests.anyRequest().hasRole("WRITE");
	}

	private static RequestMatcher consolePages() {
		return new OrRequestMatcher(Arrays.stream(CONSOLE)
			.<RequestMatcher>map((page) -> PathPatternRequestMatcher.withDefaults().matcher(page))
			.toList());
	}

	/**
	 * Not observed: an observation of each request's authorization cost the flag read path
	 * about a twentieth of its throughput (docs/benchmarks.md). Refusals still show in
	 * {@code http.server.requests} by their status.
	 */
	@Bean
	SecurityObservationSettings securityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Declares the key schemes, so Swagger UI offers to authorize, and which operations need a
	 * key: every one but the open reads.
	 */
	@Bean
	OpenApiCustomizer apiKeySchemes(ApiKeyProperties properties, ApiKeys keys) {
		return (openApi) -> {
			openApi.getComponents()
				.addSecuritySchemes("ApiToken", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.HEADER)
					.name("Authorization")
					.description("Authorization: Api-Token <key>; type \"Api-Token \" before the key"))
				.addSecuritySchemes("Bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
				.addSecuritySchemes("ApiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.HEADER)
					.name("X-API-Key"));
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				HttpMethod httpMethod = HttpMethod.valueOf(method.name());
				boolean open = (!properties.readsRequireKey() && isRead(httpMethod, path))
						|| (keys.isEmpty() && JOURNEYS.matches(httpMethod, path));
				secure(operation, open);
			}));
		};
	}

	/** One requirement per scheme, as any one of them will do; an empty one makes the key optional. */
	private static void secure(Operation operation, boolean open) {
		for (String scheme : KEY_SCHEMES) {
			operation.addSecurityItem(new SecurityRequirement().addList(scheme));
		}
		if (open) {
			operation.addSecurityItem(new SecurityRequirement());
		}
	}

	private static boolean isRead(HttpMethod method, String path) {
		return READS.stream().anyMatch((read) -> read.matches(method, path));
	}

	record Route(HttpMethod method, String pattern) {

		boolean matches(HttpMethod method, String path) {
			return this.method.equals(method) && parsed().matches(PathContainer.parsePath(path));
		}

		PathPattern parsed() {
			return PathPatternParser.defaultInstance.parse(this.pattern);
		}

	}

}
