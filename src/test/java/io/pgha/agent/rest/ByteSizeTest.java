package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(nullValues = "none", value = {
            "1, 1",
            "16kB, 16384",
            "64MB, 67108864",
            "1GB, 1073741824",
            "2TB, 2199023255552",
            "' 10 MB ', 10485760",
            "1.5MB, 1572864",
            "0x10, 16",
            "010, 8",
            "-1, -1",
            "16kb, none",
            "16KB, none",
            "lots, none",
            "99999999999999999999999, none",
    })
    void parsesLikePatroniParseInt(String text, Long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }
}
