package dev.reclaim.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schemas of records, through the API's own mapper: names, types, nullability and references. */
class SchemaGeneratorTest {
    enum Colour { RED, @JsonProperty("light-blue") LIGHT_BLUE }

    record Inner(String label) {
    }

    record Everything(String text, boolean flag, Boolean maybeFlag, int small, long big, Long maybeBig, double ratio,
                      Instant at, Colour colour, List<String> names, Set<Integer> numbers, Map<String, Long> sizes,
                      Optional<String> perhaps, Inner inner, List<Inner> inners, Map<String, Object> anything,
                      JsonNode tree, @JsonProperty(required = true) String mustHave,
                      @JsonProperty("renamed_here") String original,
                      @JsonPropertyDescription("what it is") String described,
                      @JsonInclude(JsonInclude.Include.ALWAYS) String writtenAsNull) {
    }

    /** Another {@code Inner}, in another enclosing type: its name is prefixed with that type's. */
    static final class Other {
        record Inner(int n) {
        }
    }

    private final SchemaGenerator generator = new SchemaGenerator(HttpJson.mapper());

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(Class<?> type) {
        Map<String, Object> ref = generator.schema(type);
        assertThat(ref).containsOnlyKeys("$ref");
        String name = ((String) ref.get("$ref")).substring("#/components/schemas/".length());
        return (Map<String, Object>) generator.components().get(name).get("properties");
    }

    @Test
    void aRecordIsAnObjectWithItsComponentsUnderTheirJsonNames() {
        Map<String, Object> p = properties(Everything.class);

        assertThat(p).containsOnlyKeys("text", "flag", "maybe_flag", "small", "big", "maybe_big", "ratio", "at", "colour",
                "names", "numbers", "sizes", "perhaps", "inner", "inners", "anything", "tree", "must_have", "renamed_here",
                "described", "written_as_null");
        assertThat(p.get("text")).isEqualTo(Map.of("type", "string", "nullable", true));
        assertThat(p.get("flag")).isEqualTo(Map.of("type", "boolean"));
        assertThat(p.get("maybe_flag")).isEqualTo(Map.of("type", "boolean", "nullable", true));
        assertThat(p.get("small")).isEqualTo(Map.of("type", "integer", "format", "int32"));
        assertThat(p.get("big")).isEqualTo(Map.of("type", "integer", "format", "int64"));
        assertThat(p.get("maybe_big")).isEqualTo(Map.of("type", "integer", "format", "int64", "nullable", true));
        assertThat(p.get("ratio")).isEqualTo(Map.of("type", "number", "format", "double"));
        assertThat(p.get("at")).isEqualTo(Map.of("type", "string", "format", "date-time", "nullable", true));
        assertThat(p.get("colour")).isEqualTo(Map.of("$ref", "#/components/schemas/SchemaGeneratorTestColour"));
        assertThat(p.get("names")).isEqualTo(Map.of("type", "array", "items", Map.of("type", "string"), "nullable", true));
        assertThat(p.get("numbers")).isEqualTo(Map.of("type", "array", "items", Map.of("type", "integer", "format", "int32"),
                "uniqueItems", true, "nullable", true));
        assertThat(p.get("sizes")).isEqualTo(Map.of("type", "object",
                "additionalProperties", Map.of("type", "integer", "format", "int64"), "nullable", true));
        assertThat(p.get("perhaps")).isEqualTo(Map.of("type", "string", "nullable", true));
        assertThat(p.get("inner")).isEqualTo(Map.of("$ref", "#/components/schemas/SchemaGeneratorTestInner"));
        assertThat(p.get("inners")).isEqualTo(Map.of("type", "array",
                "items", Map.of("$ref", "#/components/schemas/SchemaGeneratorTestInner"), "nullable", true));
        assertThat(p.get("anything")).isEqualTo(Map.of("type", "object", "additionalProperties", true, "nullable", true));
        assertThat(p.get("tree")).isEqualTo(Map.of());
        assertThat(p.get("must_have")).isEqualTo(Map.of("type", "string"));
        assertThat(p.get("described")).isEqualTo(Map.of("type", "string", "nullable", true, "description", "what it is"));
        assertThat(p.get("written_as_null")).isEqualTo(Map.of("type", "string", "nullable", true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void requiredAreThePropertiesTheJsonAlwaysHolds() {
        generator.schema(Everything.class);

        assertThat((List<Object>) generator.components().get("SchemaGeneratorTestEverything").get("required"))
                .containsExactlyInAnyOrder("flag", "small", "big", "ratio", "must_have", "written_as_null");
    }

    @Test
    void enumsAndNestedRecordsAreNamedSchemas() {
        generator.schema(Everything.class);

        assertThat(generator.components()).containsOnlyKeys("SchemaGeneratorTestEverything", "SchemaGeneratorTestColour",
                "SchemaGeneratorTestInner");
        assertThat(generator.components().get("SchemaGeneratorTestColour"))
                .isEqualTo(Map.of("type", "string", "enum", List.of("RED", "light-blue")));
        assertThat(generator.components().get("SchemaGeneratorTestInner")).isEqualTo(Map.of("type", "object",
                "properties", Map.of("label", Map.of("type", "string", "nullable", true))));
    }

    @Test
    void namesArePrefixedWithTheEnclosingTypeWithoutRoutesOrRepeats() {
        assertThat(SchemaGenerator.nameOf(ApiError.class)).isEqualTo("ApiError");
        assertThat(SchemaGenerator.nameOf(TokenRoutes.CreateBody.class)).isEqualTo("TokenCreateBody");
        assertThat(SchemaGenerator.nameOf(TaskRoutes.TaskView.class)).isEqualTo("TaskView");
        assertThat(SchemaGenerator.nameOf(dev.reclaim.store.CleanupRun.Item.class)).isEqualTo("CleanupRunItem");
    }

    @Test
    void twoTypesWithOneNameAreRefused() {
        record Holder(Other.Inner a) {
        }
        generator.schema(Holder.class);

        assertThatThrownBy(() -> generator.schema(OtherInner.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two types are both called OtherInner");
    }

    @Test
    void aClassThatIsNotJsonShapedIsRefused() {
        assertThatThrownBy(() -> generator.schema(Thread.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record");
    }
}

/** A top-level type named like {@code SchemaGeneratorTest.Other.Inner} once that one's prefix is applied. */
record OtherInner(String s) {
}
