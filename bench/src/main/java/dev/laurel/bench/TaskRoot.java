package dev.laurel.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Lambda task root for {@link ColdStart}: a function jar unpacked, the runtime interface
 * client's JNI library, Lambda's java21 command line, and what a class-load log says about where
 * the classes came from.
 */
final class TaskRoot {
    private TaskRoot() {
    }

    /** Lambda's java21 command line, less its own CDS archive and log4j agent. */
    static List<String> lambdaFlags(Path ric) {
        return List.of("-XX:MaxHeapSize=870m", "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "-Djava.net.preferIPv4Stack=true", "-XX:+ErrorFileToStderr",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="
                        + ric.resolve("jni/libaws-lambda-jni.linux-x86_64.so"));
    }

    /** Unpacks a function's jar into {@code work/task-<name>} as Lambda unzips a package into /var/task. */
    static Path unpack(Path work, ColdStart.Config c) throws IOException {
        Path task = work.resolve("task-" + c.name());
        if (Files.exists(task)) {
            try (Stream<Path> s = Files.walk(task)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(task);
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(c.jar()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path p = task.resolve(e.getName()).normalize();
                if (!p.startsWith(task)) {
                    throw new IOException("bad entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(z, p);
                }
            }
        }
        return task;
    }

    /** The runtime interface client's JNI library, extracted from its jar once. */
    static void ensureJni(Path ric) throws IOException {
        Path so = ric.resolve("jni/libaws-lambda-jni.linux-x86_64.so");
        if (Files.exists(so)) {
            return;
        }
        Path jar;
        try (Stream<Path> s = Files.list(ric)) {
            jar = s.filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client")).findFirst()
                    .orElseThrow();
        }
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.getName().equals("jni/libaws-lambda-jni.linux-x86_64.so")) {
                    Files.createDirectories(so.getParent());
                    Files.copy(z, so);
                }
            }
        }
    }

    static int jarClasses(Path jar) throws IOException {
        int n = 0;
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Classes loaded up to the first answer, by where they came from: the JDK (its CDS archive or
     * its modules), the runtime interface client, the function's own jar (by top package), and
     * classes generated at run time (lambdas, reflection accessors, proxies).
     */
    static ObjectNode classes(Path log, Path task) throws IOException {
        int total = 0;
        int cds = 0;
        int jrt = 0;
        int ric = 0;
        int function = 0;
        int generated = 0;
        Map<String, Integer> packages = new TreeMap<>();
        String taskUri = task.toUri().toString();
        for (String line : Files.readAllLines(log)) {
            int s = line.indexOf(" source: ");
            if (!line.contains("[class,load]")) {
                continue;
            }
            total++;
            String source = s < 0 ? "" : line.substring(s + 9);
            String name = line.substring(line.indexOf("[class,load]") + 12).trim();
            name = name.contains(" ") ? name.substring(0, name.indexOf(' ')) : name;
            if (source.startsWith("shared objects file")) {
                cds++;
            } else if (source.startsWith("jrt:/")) {
                jrt++;
            } else if (source.startsWith("file:") && (source.startsWith(taskUri) || source.startsWith(task.toString())
                    || source.contains("/task-"))) {
                function++;
                String[] parts = name.split("\\.");
                String pkg = parts.length > 4 ? String.join(".", List.of(parts).subList(0, 4)) : name;
                if (pkg.startsWith("com.fasterxml.jackson")) {
                    pkg = String.join(".", List.of(parts).subList(0, Math.min(parts.length - 1, 4)));
                }
                packages.merge(pkg, 1, Integer::sum);
            } else if (source.startsWith("file:") || source.startsWith("jar:")) {
                ric++;
            } else {
                generated++;
            }
        }
        ObjectNode o = Json.object().put("total", total).put("jdkCds", cds).put("jdkModules", jrt).put("runtimeClient", ric)
                .put("function", function).put("generated", generated);
        ObjectNode top = o.putObject("functionByPackage");
        packages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return o;
    }
}
