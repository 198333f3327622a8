package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data under the data directory survives a stop and a start; two runners never share it. */
class PersistenceTest {
    @TempDir
    Path data;

    LocalServer.Options options() {
        return LocalServer.Options.defaults(Http.root()).port(0).dataDir(data)
                .log(new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void aProgramSurvivesARestart() throws Exception {
        try (LocalServer first = LocalServer.start(options())) {
            Http.Reply put = new Http(first.url()).admin("PUT", "/v1/programs/kept", LocalServerTest.minimalProgram());
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            new Http(first.url()).shop("POST", "/v1/programs/kept/earn", LocalServerTest.earn("c-1", "o-1", 4200));
        }
        assertThat(Files.list(data)).isNotEmpty();
        try (LocalServer second = LocalServer.start(options())) {
            Http http = new Http(second.url());
            Http.Reply get = http.admin("GET", "/v1/programs/kept", null);
            assertThat(get.status()).as(get.toString()).isEqualTo(200);
            assertThat(get.json().path("version").asLong()).isEqualTo(1);
            assertThat(http.shop("GET", "/v1/programs/kept/customers/c-1", null).json().path("balance").path("available").asLong())
                    .isEqualTo(42);
        }
    }

    @Test
    void aSecondRunnerOnTheSameDataIsRefused() throws Exception {
        try (LocalServer first = LocalServer.start(options())) {
            assertThatThrownBy(() -> LocalServer.start(options()))
                    .isInstanceOf(LocalServer.StartException.class)
                    .hasMessageContaining("another Laurel local");
            // the refused one did not disturb the running one
            assertThat(new Http(first.url()).admin("GET", "/v1/programs/none", null).status()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsSaidPlainly() throws Exception {
        try (LocalServer first = LocalServer.start(options().dataDir(data.resolve("a")));
             var ignored = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> LocalServer.start(options().inMemory(true).port(first.port())))
                    .isInstanceOf(LocalServer.StartException.class)
                    .hasMessageContaining("port " + first.port())
                    .hasMessageContaining("in use");
        }
    }
}
