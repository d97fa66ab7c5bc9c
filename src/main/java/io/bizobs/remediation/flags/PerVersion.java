package io.bizobs.remediation.flags;

import java.util.function.Function;

/**
 * A value derived from the flags once per version, such as an answer that is polled many times
 * a second and so is serialised once. Two threads may derive the same version at the same time;
 * both get a correct value, so no lock is taken.
 *
 * @param <T> the derived value
 */
public final class PerVersion<T> {

	private final Function<FlagSnapshot, T> derive;

	private volatile Derived<T> derived;

	public PerVersion(Function<FlagSnapshot, T> derive) {
		this.derive = derive;
	}

	public T of(FlagSnapshot snapshot) {
		Derived<T> current = this.derived;
		if (current == null || current.version() != snapshot.version()) {
			current = new Derived<>(snapshot.version(), this.derive.apply(snapshot));
			this.derived = current;
		}
		return current.value();
	}

	private record Derived<T>(long version, T value) {
	}

}
