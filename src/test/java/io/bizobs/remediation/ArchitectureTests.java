package io.bizobs.remediation;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout, kept true: a package per feature, each owning its controller, requests and
 * responses; features use {@code flags} and {@code store}, never each other's web types;
 * {@code flags} knows nothing of HTTP, Dynatrace or the simulator; {@code store} knows no
 * feature; and no two packages need each other.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.bizobs.remediation");

	/** Packages, not features: the flag API ({@code flags.api}) uses the shared web plumbing, which maps the flags' errors. */
	@Test
	void noTwoPackagesNeedEachOther() {
		slices().matching("io.bizobs.remediation.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void flagsKnowNothingOfHttpDynatraceOrTheSimulator() {
		noClasses().that()
			.resideInAPackage("io.bizobs.remediation.flags")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
					"io.bizobs.remediation.flags.api..", "io.bizobs.remediation.web..",
					"io.bizobs.remediation.events..", "io.bizobs.remediation.simulator..")
			.check(classes);
	}

	/**
	 * The container runs on a context prepared at build time (Spring AOT), where conditions are
	 * decided once and for all: a condition on a setting such as {@code DT_ENVIRONMENT} would be
	 * decided there, unset, and the setting ignored in production. Beans decide at start-up instead.
	 */
	@Test
	void noBeanIsConditionalOnASetting() {
		noClasses().should()
			.beAnnotatedWith(Conditional.class)
			.orShould()
			.beMetaAnnotatedWith(Conditional.class)
			.check(classes);
		noMethods().should()
			.beAnnotatedWith(Conditional.class)
			.orShould()
			.beMetaAnnotatedWith(Conditional.class)
			.check(classes);
	}

	@Test
	void storeKnowsNoFeature() {
		noClasses().that()
			.resideInAPackage("io.bizobs.remediation.store..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.bizobs.remediation.flags..", "io.bizobs.remediation.events..",
					"io.bizobs.remediation.safety..", "io.bizobs.remediation.simulator..",
					"io.bizobs.remediation.ofrep..", "io.bizobs.remediation.cluster..",
					"io.bizobs.remediation.security..", "io.bizobs.remediation.audit..", "io.bizobs.remediation.web..")
			.check(classes);
	}

	@Test
	void controllersRequestsAndResponsesStayInTheirFeature() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.haveSimpleNameEndingWith("Request")
			.or()
			.haveSimpleNameEndingWith("Response")
			.should(beUsedOnlyInTheirOwnPackage())
			.check(classes);
	}

	/** Shared web plumbing ({@code web}) may be used by every feature; a feature's own web types may not. */
	private static ArchCondition<JavaClass> beUsedOnlyInTheirOwnPackage() {
		return new ArchCondition<>("be used only in their own package, unless they are shared web plumbing") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				if (type.getPackageName().equals("io.bizobs.remediation.web")) {
					return;
				}
				for (Dependency dependency : type.getDirectDependenciesToSelf()) {
					JavaClass user = dependency.getOriginClass();
					String userPackage = user.getPackageName();
					if (!userPackage.equals(type.getPackageName())) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}

		};
	}

}
