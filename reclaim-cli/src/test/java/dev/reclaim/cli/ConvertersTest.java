package dev.reclaim.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvertersTest {
    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "5s,PT5S", "2m,PT2M", "1h,PT1H", "1d,PT24H", "PT5S,PT5S", "pt1m30s,PT1M30S"})
    void durations_accept_short_units_and_iso_8601(String text, String iso) {
        assertThat(Converters.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 s", "-5s", "5sec", "P", "later"})
    void anything_else_is_refused_with_the_accepted_forms(String text) {
        assertThatThrownBy(() -> Converters.parseDuration(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("500ms, 5s, 2m");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT5S,5s", "PT2M,2m", "PT1H,1h", "PT0S,0s", "PT1.0000001S,PT1.0000001S"})
    void durations_print_the_way_they_are_written(String iso, String text) {
        assertThat(Text.duration(Duration.parse(iso))).isEqualTo(text);
    }
}
