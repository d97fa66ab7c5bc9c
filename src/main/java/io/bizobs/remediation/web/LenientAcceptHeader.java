package io.bizobs.remediation.web;

import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An {@code Accept} header that cannot be parsed ({@code ///}) counts as no header: the answer,
 * a problem above all, is then written as usual, where Spring MVC would send an empty body.
 */
@Configuration(proxyBeanMethods = false)
class LenientAcceptHeader implements WebMvcConfigurer {

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
