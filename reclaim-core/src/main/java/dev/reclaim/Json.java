package dev.reclaim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration Reclaim uses: ISO-8601 instants, no nulls. {@link #mapper()} keeps
 * Java's names and is what Reclaim stores; {@link #output()} is the same configuration with
 * snake_case names, for everything shown to programs (HTTP answers and the CLI's
 * {@code --output json}), so a field has one name wherever it is read.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final ObjectMapper OUTPUT = MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The shared, thread-safe mapper of what programs read: HTTP answers and {@code --output json}
     * (snake_case names). Do not reconfigure it; copy it.
     */
    public static ObjectMapper output() {
        return OUTPUT;
    }

    /** A value as indented snake_case JSON, as {@code --output json} prints it; wraps the (unexpected) failure. */
    public static String writeOutput(Object value) {
        try {
            return OUTPUT.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ReclaimException("cannot write a value as JSON: " + Problems.scrub(e.getOriginalMessage()), e);
        }
    }

    /** Serialises a value; wraps the (unexpected) failure. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ReclaimException("cannot write a value as JSON: " + Problems.scrub(e.getOriginalMessage()), e);
        }
    }
}
