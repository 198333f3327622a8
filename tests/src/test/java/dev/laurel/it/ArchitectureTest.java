package dev.laurel.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house (docs/ARCHITECTURE.md) holds: no package cycles, every arrow points
 * down (handlers → api → app → domain; store.dynamodb implements app's ports), and only the
 * rooms that must touch Jackson or the AWS SDK do. Checked on the main classes of shared/ and
 * functions/ as compiled; and no main source file is over 400 lines.
 */
class ArchitectureTest {
    static final int MAX_LINES = 400;

    /** The compiled main classes of shared/ and every function (never a shaded jar, which repeats shared's). */
    private static final JavaClasses MAIN = new ClassFileImporter().importPaths(mainClassDirs());

    private static List<Path> mainClassDirs() {
        Path root = LocalDynamo.root();
        List<Path> dirs = new ArrayList<>();
        dirs.add(root.resolve("shared/target/classes"));
        try (Stream<Path> fns = Files.list(root.resolve("functions"))) {
            fns.map(f -> f.resolve("target/classes")).filter(Files::isDirectory).forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dirs;
    }

    @Test
    void theMainClassesOfEveryRoomAreImported() {
        for (String p : List.of("domain", "json", "app", "api", "store", "store.dynamodb", "notify", "retry", "aws",
                "functions.earn", "functions.remind")) {
            assertThat(MAIN.containPackage("dev.laurel." + p)).as(p).isTrue();
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.laurel.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theDomainIsPlainJava() {
        classes().that().resideInAPackage("dev.laurel.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.laurel.domain..")
                .because("the domain holds no Jackson, no HTTP status, no AWS, and knows no other room")
                .check(MAIN);
    }

    @Test
    void useCasesKnowNoJsonLibraryNoSdkAndNoHttp() {
        noClasses().that().resideInAPackage("dev.laurel.app..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml..", "software.amazon..",
                        "dev.laurel.api..", "dev.laurel.store.dynamodb..", "dev.laurel.aws..", "dev.laurel.functions..")
                .because("use cases talk to ports (dev.laurel.store) and return values the API layer renders")
                .check(MAIN);
    }

    @Test
    void onlyTheDynamoDbStoreTheEmailChannelAndTheAwsGlueUseTheAwsSdk() {
        noClasses().that().resideOutsideOfPackages("dev.laurel.store.dynamodb..", "dev.laurel.aws..")
                .and().doNotHaveFullyQualifiedName("dev.laurel.notify.EmailChannel")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .check(MAIN);
    }

    @Test
    void theStorePortsCarryNoSdkTypes() {
        classes().that().resideInAPackage("dev.laurel.store")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.laurel.domain..", "dev.laurel.store")
                .check(MAIN);
    }

    @Test
    void onlyTheCompositionRootOfTheApiLayerKnowsTheDynamoDbStore() {
        noClasses().that().resideOutsideOfPackage("dev.laurel.store.dynamodb..")
                .and().doNotHaveFullyQualifiedName("dev.laurel.api.Wiring")
                .should().dependOnClassesThat().resideInAPackage("dev.laurel.store.dynamodb..")
                .check(MAIN);
    }

    @Test
    void handlersDependOnlyOnTheApiLayerTheUseCasesAndTheAwsGlue() {
        classes().that().resideInAnyPackage("dev.laurel.functions..", "dev.laurel.tools..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.amazonaws.services.lambda.runtime..",
                        "com.fasterxml.jackson.databind..", "dev.laurel.functions..", "dev.laurel.tools..",
                        "dev.laurel.api..", "dev.laurel.app..", "dev.laurel.aws..")
                .because("a handler is thin: parse -> use case -> answer, all in the api layer")
                .check(MAIN);
    }

    @Test
    void noMainSourceFileIsOverFourHundredLines() throws IOException {
        Path root = LocalDynamo.root();
        List<Path> dirs = new ArrayList<>();
        dirs.add(root.resolve("shared/src/main/java"));
        try (Stream<Path> fns = Files.list(root.resolve("functions"))) {
            fns.map(f -> f.resolve("src/main/java")).filter(Files::isDirectory).forEach(dirs::add);
        }
        List<String> tooLong = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    long lines = lineCount(f);
                    if (lines > MAX_LINES) {
                        tooLong.add(root.relativize(f) + " (" + lines + " lines)");
                    }
                });
            }
        }
        assertThat(dirs).hasSizeGreaterThan(1);
        assertThat(tooLong).as("split these: one room per use case").isEmpty();
    }

    private static long lineCount(Path f) {
        try (Stream<String> lines = Files.lines(f)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
