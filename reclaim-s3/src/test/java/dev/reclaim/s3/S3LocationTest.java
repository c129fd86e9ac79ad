package dev.reclaim.s3;

import dev.reclaim.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3LocationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s3://bucket/some/prefix   | bucket      | some/prefix",
            "s3://bucket/some/prefix/  | bucket      | some/prefix",
            "s3://bucket               | bucket      | ''",
            "s3://bucket/              | bucket      | ''",
            "S3://my.bucket-1/p        | my.bucket-1 | p",
            "s3://b12//lead            | b12         | lead",
            "s3://bucket/ünï côdé/x    | bucket      | ünï côdé/x"})
    void aGoodUriGivesBucketAndNormalisedPrefix(String uri, String bucket, String prefix) {
        S3Location l = S3Location.parse(uri);

        assertThat(l.bucket()).isEqualTo(bucket);
        assertThat(l.prefix()).isEqualTo(prefix);
        assertThat(S3Location.parse(l.toString())).isEqualTo(l);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "bucket/prefix", "file:/tmp/x", "s3:/bucket", "s3://", "s3:///prefix",
            "s3://ab", "s3://Bucket/x", "s3://bucket_name", "s3://-bucket", "s3://bucket-", "s3://a..b",
            "s3://bucket/a/../b", "s3://bucket/a//b", "s3://bucket/./x", "s3://bucket/a\\b"})
    void aBadUriIsRefusedSayingWhatAGoodOneLooksLike(String uri) {
        assertThatThrownBy(() -> S3Location.parse(uri)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("s3://bucket/some/prefix");
    }

    @ParameterizedTest
    @CsvSource({"s3://Bucket/x,uppercase", "s3://ab,3 to 63", "s3://bucket/a/../b,'..'"})
    void theMessageSaysWhatIsWrong(String uri, String why) {
        assertThatThrownBy(() -> S3Location.parse(uri)).hasMessageContaining(why);
    }

    @Test
    void aNullUriIsRefused() {
        assertThatThrownBy(() -> S3Location.parse(null)).isInstanceOf(InvalidArgumentException.class);
    }
}
