package dev.reclaim.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.reclaim.Json;
import dev.reclaim.ReclaimException;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditRecord;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Prints audit lines page by page as they are read, so memory stays flat however many there are:
 * a table with fixed columns (the reason last, as long as it is), or one JSON object whose
 * {@code lines} array is written element by element.
 */
final class AuditLines {
    private static final String ROW = "%-20s  %-16s  %-26s  %-16s  %-24s  %9s  %10s  %-18s  %s";
    private final PrintWriter out;
    private final JsonGenerator json;
    private long printed;

    /** Fields a JSON document carries before its {@code lines}. */
    interface Prefix {
        void write(JsonGenerator json) throws IOException;
    }

    /** @param prefix with JSON, fields written before {@code lines} (may be null) */
    AuditLines(PrintWriter out, boolean asJson, Prefix prefix) {
        this.out = out;
        try {
            this.json = asJson ? Json.output().getFactory().createGenerator(out).useDefaultPrettyPrinter() : null;
            if (json != null) {
                // the writer is the command line's: ending the document must not close it
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.setCodec(Json.output());
                json.writeStartObject();
                if (prefix != null) {
                    prefix.write(json);
                }
                json.writeArrayFieldStart("lines");
            }
        } catch (IOException e) {
            throw new ReclaimException("cannot write the audit lines: " + e.getMessage(), e);
        }
    }

    /** Prints a page's lines (the header before the first). */
    void print(AuditPage page) {
        try {
            for (AuditRecord r : page.items()) {
                if (json != null) {
                    json.writeObject(r);
                } else {
                    if (printed == 0) {
                        out.println(String.format(ROW, "AT", "ACTION", "TASK", "PROJECT", "NAME", "OBJECTS", "FREED", "BY",
                                "REASON").stripTrailing());
                    }
                    out.println(String.format(ROW, Text.time(r.at()), r.action(), r.taskId(), dash(r.project()),
                            dash(r.taskName()), Text.count(r.objects()), Text.bytes(r.bytes()), dash(r.actor()),
                            dash(r.reason())).stripTrailing());
                }
                printed++;
            }
            if (json != null) {
                json.flush();
            }
            out.flush();
        } catch (IOException e) {
            throw new ReclaimException("cannot write the audit lines: " + e.getMessage(), e);
        }
    }

    /** Lines printed so far. */
    long printed() {
        return printed;
    }

    /** Ends the document: with JSON, {@code next_cursor} when more lines follow the last page printed. */
    void end(String nextCursor) {
        try {
            if (json != null) {
                json.writeEndArray();
                if (nextCursor != null) {
                    json.writeStringField("next_cursor", nextCursor);
                }
                json.writeEndObject();
                json.flush();
                out.println();
            }
            out.flush();
        } catch (IOException e) {
            throw new ReclaimException("cannot write the audit lines: " + e.getMessage(), e);
        }
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
