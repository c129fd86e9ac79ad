package dev.reclaim.cli;

import dev.reclaim.Json;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The {@code --output table|json} option every command that lists or reports takes (a picocli
 * mixin): {@code table} for people, {@code json} for programs, with snake_case names from the same
 * configuration as the HTTP API's answers ({@link Json#output()}).
 */
final class OutputOption {
    /** The two formats. */
    enum Format { TABLE, JSON }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "table (for people) or json (for programs; snake_case names, as the HTTP API). "
                    + "Default: ${DEFAULT-VALUE}.")
    Format format = Format.TABLE;

    boolean json() {
        return format == Format.JSON;
    }

    /** Prints a value as indented JSON, one document. */
    static void printJson(PrintWriter out, Object value) {
        out.println(Json.writeOutput(value));
    }

    /** Parses table or json in any case; {@code text}, an earlier name of table, is still accepted. */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "table", "text" -> Format.TABLE;
                case "json" -> Format.JSON;
                default -> throw new TypeConversionException("'" + value + "' is not an output format; give one of: table, json");
            };
        }
    }
}
