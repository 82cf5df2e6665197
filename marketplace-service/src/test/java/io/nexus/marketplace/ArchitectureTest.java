package io.nexus.marketplace;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rooms of marketplace-service and who may call whom, as in every service: resources only map (they reach data
 * through the services), services hold the transactions, repositories hold every statement, the client is the only
 * way to workflow-service, and no two packages depend on each other.
 */
class ArchitectureTest {

    private static final String ROOT = "io.nexus.marketplace";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void resourcesDoNotTalkToTheDatabaseOrOtherServices() {
        noClasses().that().resideInAPackage(ROOT + ".rest..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".repository..", ROOT + ".client..",
                        "io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..")
                .check(classes);
    }

    @Test
    void servicesDoNotCallTheResources() {
        noClasses().that().resideInAPackage(ROOT + ".service..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".rest")
                .check(classes);
    }

    @Test
    void onlyRepositoriesSendStatements() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".repository..")
                .should().callMethodWhere(DescribedPredicate.describe("sends a statement to PostgreSQL",
                        call -> call.getTarget().getName().equals("preparedQuery")
                                || call.getTarget().getName().equals("query")))
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
