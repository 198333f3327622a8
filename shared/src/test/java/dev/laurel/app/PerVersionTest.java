package dev.laurel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerVersionTest {
    private static Program program(String id, long version) {
        var def = Json.object().put("name", "p").put("currency", "EUR").put("timezone", "UTC");
        def.putArray("earningRules");
        return ProgramReader.read(id, version, def);
    }

    @Test
    void aValueIsMadeOncePerProgramInstanceAndAgainForAnother() {
        List<Program> made = new ArrayList<>();
        PerVersion<String> versions = new PerVersion<>(p -> {
            made.add(p);
            return p.programId() + "@" + p.version();
        });
        Program one = program("p", 1);
        assertThat(versions.of(one)).isEqualTo("p@1");
        assertThat(versions.of(one)).isEqualTo("p@1");
        assertThat(made).containsExactly(one);
        Program two = program("p", 2);
        assertThat(versions.of(two)).isEqualTo("p@2");
        Program twoAgain = program("p", 2); // read again (the cache forgot it): another instance, made again
        assertThat(versions.of(twoAgain)).isEqualTo("p@2");
        assertThat(versions.of(program("q", 1))).isEqualTo("q@1");
        assertThat(made).hasSize(4);
        assertThat(versions.of(one)).isEqualTo("p@1"); // back to the first: it is no longer kept
        assertThat(made).hasSize(5);
    }

    @Test
    void manyProgramsNeverGrowItPastItsBound() {
        PerVersion<Long> versions = new PerVersion<>(Program::version);
        for (int i = 0; i < PerVersion.MAX_PROGRAMS * 3; i++) {
            assertThat(versions.of(program("p-" + i, i))).isEqualTo(i);
            assertThat(versions.size()).isLessThanOrEqualTo(PerVersion.MAX_PROGRAMS);
        }
    }
}
