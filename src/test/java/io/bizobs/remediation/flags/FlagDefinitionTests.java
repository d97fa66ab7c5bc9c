package io.bizobs.remediation.flags;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlagDefinitionTests {

	private final FlagDefinition toggle = new FlagDefinition("cacheEnabled", FlagType.BOOLEAN, true, null, null, "", null);

	private final FlagDefinition percent = new FlagDefinition("canaryTrafficPercent", FlagType.INTEGER, 50, 0.0,
			100.0, "", null);

	private final FlagDefinition rate = new FlagDefinition("errorRate", FlagType.NUMBER, 0.12, 0.0, 1.0, "", null);

	@Test
	void booleanFlagAcceptsOnlyJsonBooleans() {
		assertThat(this.toggle.accept(false)).isEqualTo(false);
		assertThatIllegalArgumentException().isThrownBy(() -> this.toggle.accept("false"))
			.withMessage("must be a boolean (true or false)");
		assertThatIllegalArgumentException().isThrownBy(() -> this.toggle.accept(0));
	}

	@Test
	void integerFlagRefusesDecimalsStringsAndValuesOutsideItsRange() {
		assertThat(this.percent.accept(10)).isEqualTo(10L);
		assertThatIllegalArgumentException().isThrownBy(() -> this.percent.accept(10.0))
			.withMessage("must be an integer");
		assertThatIllegalArgumentException().isThrownBy(() -> this.percent.accept("10"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.percent.accept(150))
			.withMessage("must be between 0 and 100, was 150");
		assertThatIllegalArgumentException().isThrownBy(() -> this.percent.accept(new BigInteger("1".repeat(30))))
			.withMessage("is out of range");
	}

	@Test
	void numberFlagAcceptsIntegersAndDecimalsWithinItsRange() {
		assertThat(this.rate.accept(0)).isEqualTo(0.0);
		assertThat(this.rate.accept(0.02)).isEqualTo(0.02);
		assertThat(this.rate.accept(-0.0)).isEqualTo(0.0);
		assertThatIllegalArgumentException().isThrownBy(() -> this.rate.accept(1.5))
			.withMessage("must be between 0.0 and 1.0, was 1.5");
		assertThatIllegalArgumentException().isThrownBy(() -> this.rate.accept(Double.POSITIVE_INFINITY));
		assertThatIllegalArgumentException().isThrownBy(() -> this.rate.accept("0.5"));
	}

	@Test
	void missingValueIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.toggle.accept(null)).withMessage("needs a value");
	}

	@Test
	void defaultOutsideTheRangeIsRefusedAtDeclaration() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FlagDefinition("errorRate", FlagType.NUMBER, 2.0, 0.0, 1.0, "", null))
			.withMessageContaining("Default of flag 'errorRate' must be between 0.0 and 1.0");
	}

	@Test
	void storedLiteralsReadBackAsTheSameValue() {
		for (Object value : new Object[] { true, 42L, 0.12, 1.0 }) {
			assertThat(FlagValues.fromLiteral(FlagValues.literal(value))).isEqualTo(value);
		}
		assertThat(this.rate.parse(FlagValues.literal(0.05))).isEqualTo(0.05);
	}

}
