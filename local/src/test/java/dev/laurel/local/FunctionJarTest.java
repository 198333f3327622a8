package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The runner never ends up in a Lambda artifact. */
class FunctionJarTest {
    @Test
    void noFunctionJarCarriesTheRunner() throws Exception {
        Path functions = Http.root().resolve("functions");
        List<Path> jars;
        try (var dirs = Files.list(functions)) {
            jars = dirs.map(d -> d.resolve("target").resolve(d.getFileName() + ".jar")).filter(Files::isRegularFile).toList();
        }
        assumeTrue(!jars.isEmpty(), "no function jar built yet");
        assertThat(jars.stream().map(p -> p.getFileName().toString())).contains("earn.jar");
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.stream().map(e -> e.getName()))
                        .as(jar.toString())
                        .noneMatch(n -> n.startsWith("dev/laurel/local/"))
                        .noneMatch(n -> n.startsWith("com/amazonaws/services/dynamodbv2/local/"))
                        .noneMatch(n -> n.startsWith("org/eclipse/jetty/"));
            }
        }
    }
}
