package io.bizobs.remediation;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills the heap until it runs out, for {@link PackagedJarSiegeTests}: run with the service's JVM
 * options, it shows what the service's process does then.
 */
public final class OutOfMemoryProbe {

	private OutOfMemoryProbe() {
	}

	public static void main(String[] args) {
		List<long[]> held = new ArrayList<>();
		while (true) {
			held.add(new long[128 * 1024]);
		}
	}

}
