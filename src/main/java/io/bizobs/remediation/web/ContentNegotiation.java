package io.bizobs.remediation.web;

import java.util.List;
import java.util.Set;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the API answers in, and how it reads {@code Accept}:
 * <ul>
 * <li>JSON only. The libraries on the class path (springdoc's YAML, for one) would have Spring MVC
 * answer in YAML, XML, CBOR or Smile to a caller asking for them: formats nobody tests, each a
 * parser of its own on the path of every answer. Another {@code Accept} gets a 406 problem.</li>
 * <li>An {@code Accept} header that cannot be parsed ({@code ///}) counts as no header: the answer,
 * a problem above all, is then written as usual, where Spring MVC would send an empty body.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ContentNegotiation implements WebMvcConfigurer {

	private static final Set<String> OTHER_FORMATS = Set.of("yaml", "xml", "cbor", "smile", "x-jackson-smile");

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList((converters) -> converters.removeIf(ContentNegotiation::isOtherFormat));
	}

	private static boolean isOtherFormat(HttpMessageConverter<?> converter) {
		return converter.getSupportedMediaTypes()
			.stream()
			.anyMatch((type) -> OTHER_FORMATS.contains(type.getSubtype()) || type.getSubtype().endsWith("+xml")
					|| type.getSubtype().endsWith("+yaml"));
	}

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.strategies(List.of(new HeaderContentNegotiationStrategy() {

			@Override
			public List<MediaType> resolveMediaTypes(NativeWebRequest request) {
				try {
					return super.resolveMediaTypes(request);
				}
				catch (HttpMediaTypeNotAcceptableException ex) {
					return MEDIA_TYPE_ALL_LIST;
				}
			}

		}));
	}

}
