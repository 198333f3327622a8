package dev.laurel.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The drift check of the Java SDK. Nothing generated is committed: the build generates the client from
 * api/openapi.yaml (openapi-generator-maven-plugin, generate-sources) and compiles this module's hand-written
 * code and the command line against it, so a change to the document that breaks a caller breaks the build. This
 * test checks that what was compiled is the document of this checkout: every operationId of api/openapi.yaml is
 * a public method of a generated API class, and no generated API method names an operation the document lacks.
 */
class GeneratedFromDocumentTest {
    static final Path DOCUMENT = Path.of("../../api/openapi.yaml");
    static final Pattern OPERATION = Pattern.compile("^\\s+operationId:\\s*(\\w+)\\s*$", Pattern.MULTILINE);

    @Test
    void everyOperationOfTheDocumentIsAGeneratedMethodAndNoOtherIs() throws Exception {
        Set<String> operations = new TreeSet<>();
        Matcher m = OPERATION.matcher(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
        while (m.find()) {
            operations.add(m.group(1));
        }
        assertThat(operations).hasSizeGreaterThan(30).contains("redeem", "postImportRows", "listCustomers");
        Set<String> generated = new TreeSet<>();
        for (Class<?> api : apiClasses()) {
            for (Method method : api.getDeclaredMethods()) {
                String name = method.getName();
                if (Modifier.isPublic(method.getModifiers()) && !name.endsWith("WithHttpInfo") && !name.startsWith("get")
                        || operations.contains(name)) {
                    generated.add(name);
                }
            }
        }
        generated.remove("downloadFileFromResponse"); // the generator's helper on every API class
        assertThat(generated).as("the generated API methods (less getters) against the document's operationIds")
                .isEqualTo(operations);
    }

    static List<Class<?>> apiClasses() throws Exception {
        URL dir = GeneratedFromDocumentTest.class.getClassLoader().getResource("dev/laurel/client/api");
        assertThat(dir).as("the generated API classes").isNotNull();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith("Api.class")) {
                    out.add(Class.forName("dev.laurel.client.api." + n.substring(0, n.length() - ".class".length())));
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(5);
        return out;
    }
}
