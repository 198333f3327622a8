package dev.laurel.local;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * {@code ./laurel local [--port N] [--in-memory]}: starts {@link LocalServer}, prints the banner,
 * logs one line per request and stops cleanly on Ctrl-C. The repository root is the system
 * property {@code laurel.root} (the script sets it), else the working directory.
 */
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(System.getProperty("laurel.root", "."));
        LocalServer.Options options = LocalServer.Options.defaults(root);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port", "-p" -> {
                    if (i + 1 == args.length) {
                        usage("--port needs a number");
                    }
                    try {
                        options = options.port(Integer.parseInt(args[++i]));
                    } catch (IllegalArgumentException e) {
                        usage("--port needs a number from 0 to 65535");
                    }
                }
                case "--in-memory" -> options = options.inMemory(true);
                case "--cors-origins" -> {
                    if (i + 1 >= args.length) {
                        usage("--cors-origins needs a comma list of origins");
                    }
                    System.setProperty(Cors.PROPERTY, args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        LocalServer server;
        try {
            server = LocalServer.start(options);
        } catch (LocalServer.StartException e) {
            System.err.println("laurel local: " + e.getMessage());
            System.exit(1);
            return;
        }
        double ready = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        System.out.println(Banner.render(server, ready));
        boolean keep = !options.inMemory();
        Path data = options.dataDir().toAbsolutePath().normalize();
        String dataDir = data.startsWith(options.root()) ? options.root().relativize(data) + "/" : data.toString();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println(keep ? "\nLaurel local stopped; data kept in " + dataDir : "\nLaurel local stopped.");
            System.out.flush();
        }, "laurel-shutdown"));
        server.join();
    }

    private static final String USAGE = """
            usage: ./laurel local [--port N] [--in-memory]
              --port N      serve on 127.0.0.1:N (default 3000; 0 picks a free port)
              --in-memory   keep no data (default: kept under .laurel/)
              --cors-origins O1,O2  allow these origins by CORS, as the template's CorsAllowedOrigins (default: none)
            environment: LAUREL_ADMIN_KEY, LAUREL_SHOP_KEY (the keys of the tenant "local"), LAUREL_CORS_ORIGINS""";

    private static void usage(String problem) {
        System.err.println("laurel local: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
