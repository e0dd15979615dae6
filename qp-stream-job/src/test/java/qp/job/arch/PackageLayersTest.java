package qp.job.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The job's packages in layers, without cycles (issue 21). From the bottom: settings and I/O ({@code analytics} holds
 * the stages' settings, {@code config}, {@code io}, {@code state}); the analytics stages; training (the models and
 * what they recommend: one package, since the training rows' class names are in the job's checkpoints); the pipeline
 * that wires the stages; the job's entry points in {@code qp.job}. A new import that points up, or any cycle between
 * packages, fails the build.
 */
class PackageLayersTest {
    private static final JavaClasses JOB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("qp.job");

    @Test
    void packagesFormNoCycles() {
        slices().matching("qp.job.(*)..").should().beFreeOfCycles().check(JOB);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("qp.job..")
                .layer("entry").definedBy("qp.job")
                .layer("pipeline").definedBy("qp.job.pipeline..")
                .layer("training").definedBy("qp.job.training..")
                .layer("stages").definedBy("qp.job.windows..", "qp.job.anomaly..", "qp.job.bigrams..",
                        "qp.job.rules..", "qp.job.trends..", "qp.job.experiments..")
                .layer("foundation").definedBy("qp.job.analytics..", "qp.job.config..", "qp.job.io..",
                        "qp.job.state..")
                .whereLayer("entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("training").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("entry", "pipeline")
                .check(JOB);
    }
}
