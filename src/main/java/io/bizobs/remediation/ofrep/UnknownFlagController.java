package io.bizobs.remediation.ofrep;

import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * OFREP's answer for a key no flag has: the declared keys are served by their own servlet
 * ({@link OpenFeatureReadsConfiguration}), so only the unknown ones come here. In the API document
 * with the single evaluation.
 */
@RestController
@Hidden
class UnknownFlagController {

	@PostMapping(OfrepReads.BULK + "/{key}")
	ResponseEntity<OfrepReads.Error> unknown(@PathVariable String key) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(new OfrepReads.Error(key, "FLAG_NOT_FOUND", "Flag '" + key + "' is not declared", Map.of()));
	}

}
