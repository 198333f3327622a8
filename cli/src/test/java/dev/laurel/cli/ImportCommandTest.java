package dev.laurel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The import's chunk size: as many rows as the last chunk's pace fits in about 8 s, 20 to 1,000. */
class ImportCommandTest {
    @Test
    void aChunkIsSizedToAboutEightSecondsAtTheLastPace() {
        // DynamoDB Local's pace (about 30 rows/s): 240 rows, well under API Gateway's 30 s
        assertThat(ImportCommand.next(200, 6_666_000_000L)).isEqualTo(240);
        // a fast table: the API's limit
        assertThat(ImportCommand.next(200, 200_000_000L)).isEqualTo(1000);
        // a very slow one: never below 20 rows
        assertThat(ImportCommand.next(20, 60_000_000_000L)).isEqualTo(20);
        assertThat(ImportCommand.next(1000, 0)).isEqualTo(1000);
    }
}
