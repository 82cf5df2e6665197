package io.nexus.workflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rooms of workflow-service and who may call whom (each package's package-info says why): the engine is called by
 * the services, never the other way round; resources reach data only through services; execution SQL and
 * transactions live in the persistence package ({@code repository}); no two packages depend on each other.
 */
class ArchitectureTest {

    private static final String ROOT = "io.nexus.workflow";
    /** SQL that reads or writes the executions tables: FROM/JOIN/UPDATE/INTO followed by one of their names. */
    private static final Pattern EXECUTION_SQL = Pattern.compile(
            "\\b(?:FROM|JOIN|UPDATE|INTO)\\s+(executions|execution_steps|execution_signals)\\b",
            Pattern.CASE_INSENSITIVE);

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theEngineDoesNotCallTheServicesOrTheResources() {
        noClasses().that().resideInAPackage(ROOT + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".service..", ROOT + ".rest..")
                .check(classes);
    }

    @Test
    void servicesDoNotCallTheResources() {
        noClasses().that().resideInAPackage(ROOT + ".service..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".rest")
                .check(classes);
    }

    @Test
    void resourcesDoNotTalkToTheDatabase() {
        noClasses().that().resideInAPackage(ROOT + ".rest..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".repository..", ROOT + ".engine..",
                        "io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..")
                .check(classes);
    }

    @Test
    void theMcpServerGoesThroughTheServicesLikeTheRestApi() {
        noClasses().that().resideInAPackage(ROOT + ".mcp..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".repository..", ROOT + ".engine..",
                        "io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage(ROOT + ".mcp..").and().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".mcp..")
                .check(classes);
    }

    @Test
    void onlyThePersistencePackageOpensExecutionTransactions() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".repository..")
                .and().resideInAnyPackage(ROOT + ".engine..", ROOT + ".service..", ROOT + ".rest..",
                        ROOT + ".catalog..")
                .should().callMethodWhere(DescribedPredicate.describe(
                        "opens a transaction", call -> call.getTarget().getName().equals("withTransaction")))
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void executionSqlLivesOnlyInThePersistencePackage() throws IOException {
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !sources.relativize(file).startsWith("repository"))
                    .forEach(file -> found.addAll(executionSql(sources.relativize(file), file)));
        }
        assertEquals(List.of(), found, "SQL on the executions tables outside repository/");
    }

    private static List<String> executionSql(Path name, Path file) {
        List<String> found = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher sql = EXECUTION_SQL.matcher(lines.get(i));
                if (sql.find() && !lines.get(i).trim().startsWith("*") && !lines.get(i).trim().startsWith("//")) {
                    found.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
