package qp.testsupport.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Date;

/**
 * Issue 21's "one clock": product code reads time only from an injected {@link java.time.Clock} (or, in the Flink
 * job, from Flink's processing time). Each module's test runs this over its own packages; {@code allowed} names the
 * few classes that are the clock itself.
 */
public final class ClockReads {
    private ClockReads() {
    }

    public static void assertOnlyThroughTheClock(String rootPackage, Class<?>... allowed) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        noClasses().that(not(belongToAnyOf(allowed)))
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callConstructor(Date.class)
                .because("time is read from the injected java.time.Clock, so tests can move it (issue 21)")
                .check(classes);
    }
}
