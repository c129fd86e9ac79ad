package dev.reclaim.architecture;

import dev.reclaim.Reclaim;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules of docs/architecture.md, checked on the compiled main code of every module:
 * core names no driver, SDK, server or CLI; the stores' modules know nothing above them; the server
 * and the CLI reach stores only through core services (the CLI's two wiring classes excepted); no
 * package is in an import cycle; no service names the wiring class {@link Reclaim}.
 */
class ModuleRulesTest {
    private static final String[] CORE = {"dev.reclaim", "dev.reclaim.audit..", "dev.reclaim.cleanup..", "dev.reclaim.delete..", "dev.reclaim.fsck..",
            "dev.reclaim.jobs..", "dev.reclaim.model..", "dev.reclaim.query..", "dev.reclaim.store..", "dev.reclaim.tasks..",
            "dev.reclaim.tokens..", "dev.reclaim.usage..",
            "dev.reclaim.worker.."};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.reclaim");

    @Test
    void theRulesSeeTheMainCodeOfEveryModule() {
        for (String module : List.of("dev.reclaim.tasks", "dev.reclaim.jdbc", "dev.reclaim.s3", "dev.reclaim.server",
                "dev.reclaim.cli")) {
            assertThat(MAIN.stream().anyMatch(c -> c.getPackageName().startsWith(module))).as(module).isTrue();
        }
    }

    @Test
    void coreDependsOnNoDriverSdkOrWebFramework() {
        ArchRule rule = noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(
                "org.sqlite..", "org.postgresql..", "com.zaxxer..", "org.flywaydb..", "software.amazon..", "io.javalin..",
                "org.eclipse.jetty..", "info.picocli..", "org.gaul..");
        rule.check(MAIN);
    }

    @Test
    void coreDependsOnNoOtherReclaimModule() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("dev.reclaim.jdbc..", "dev.reclaim.s3..", "dev.reclaim.server..", "dev.reclaim.cli..",
                        "dev.reclaim.bench..", "dev.reclaim.testkit..")
                .check(MAIN);
    }

    @Test
    void theStoresModulesKnowNothingAboveThem() {
        noClasses().that().resideInAnyPackage("dev.reclaim.jdbc..", "dev.reclaim.s3..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.reclaim.server..", "dev.reclaim.cli..", "dev.reclaim.bench..", "dev.reclaim.testkit..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.reclaim.jdbc..").should().dependOnClassesThat().resideInAPackage("dev.reclaim.s3..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.reclaim.s3..").should().dependOnClassesThat().resideInAPackage("dev.reclaim.jdbc..")
                .check(MAIN);
    }

    @Test
    void theServerNamesNoStoreImplementationAndNothingOfTheCli() {
        noClasses().that().resideInAPackage("dev.reclaim.server..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.reclaim.jdbc..", "dev.reclaim.s3..", "dev.reclaim.cli..", "dev.reclaim.bench..")
                .check(MAIN);
    }

    @Test
    void onlyTheClisWiringClassesNameAStoreImplementation() {
        noClasses().that().resideInAPackage("dev.reclaim.cli..")
                .and().doNotHaveSimpleName("ReclaimHome").and().doNotHaveSimpleName("StorageConfig")
                .should().dependOnClassesThat().resideInAnyPackage("dev.reclaim.jdbc..", "dev.reclaim.s3..")
                .check(MAIN);
    }

    @Test
    void noPackageImportsItselfInACircle() {
        slices().matching("dev.reclaim.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noServiceReachesBackThroughTheWiringClass() {
        noClasses().that().resideInAnyPackage(CORE).and().doNotBelongToAnyOf(Reclaim.class)
                .should().dependOnClassesThat().belongToAnyOf(Reclaim.class)
                .check(MAIN);
    }

    @Test
    void theServerAndTheCliReachStoresOnlyThroughCoreServices() {
        noClasses().that().resideInAnyPackage("dev.reclaim.server..", "dev.reclaim.cli..")
                .and().doNotHaveSimpleName("ReclaimHome").and().doNotHaveSimpleName("StorageConfig")
                .should().dependOnClassesThat(INTERFACES.and(resideInAPackage("dev.reclaim.store")).as("a store port"))
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.reclaim.store.fs..", "dev.reclaim.jdbc..",
                        "dev.reclaim.s3..")
                .check(MAIN);
    }
}
