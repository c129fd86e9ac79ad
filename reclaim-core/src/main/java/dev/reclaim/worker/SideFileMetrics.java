package dev.reclaim.worker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.model.Names;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metrics a job reports for one of its outputs in a side file next to it: for {@code ckpt/epoch3.pt},
 * {@code ckpt/epoch3.pt.metrics.json} holding a flat JSON object of finite numbers, e.g.
 * {@code {"val_loss": 0.31, "epoch": 3}}. Such a side file is not registered as an artifact; its
 * numbers become the output's metrics. A side file that cannot be read as such (not an object of
 * finite numbers, a bad name, more than {@link Names#MAX_METRICS}, over {@link #MAX_BYTES}) must
 * not fail a job that ran to its end: it is registered as an ordinary artifact instead, and one
 * line in the job's console says why. A side file whose output does not exist is an ordinary
 * artifact too.
 */
final class SideFileMetrics {
    /** What a side file's name ends with. */
    static final String SUFFIX = ".metrics.json";
    /** Largest side file read; a bigger one is not a list of metrics. */
    static final long MAX_BYTES = 64 * 1024;

    /**
     * The outputs to register and the metrics of some of them.
     *
     * @param files   every output but the side files that were read
     * @param metrics metrics by the output file they belong to
     */
    record Paired(List<CollectedFile> files, Map<Path, Map<String, Double>> metrics) {
    }

    private SideFileMetrics() {
    }

    /**
     * Reads the side files among a job's outputs.
     *
     * @param warn told, in one line without a line break, about each side file that was registered
     *             as an ordinary artifact because it could not be read as metrics
     */
    static Paired pair(List<CollectedFile> files, Consumer<String> warn) {
        Map<Path, CollectedFile> byFile = new HashMap<>();
        files.forEach(f -> byFile.put(f.file(), f));
        Map<Path, Map<String, Double>> metrics = new LinkedHashMap<>();
        List<Path> read = new ArrayList<>();
        for (CollectedFile f : files) {
            String fileName = f.file().getFileName().toString();
            if (!fileName.endsWith(SUFFIX) || fileName.length() == SUFFIX.length()) {
                continue;
            }
            Path base = f.file().resolveSibling(fileName.substring(0, fileName.length() - SUFFIX.length()));
            if (!byFile.containsKey(base)) {
                continue; // no output of that name: an ordinary artifact
            }
            try {
                metrics.put(base, read(f));
                read.add(f.file());
            } catch (InvalidArgumentException e) {
                warn.accept("kept " + Names.printable(f.name()) + " as an artifact, not as metrics of "
                        + Names.printable(byFile.get(base).name()) + ": " + e.getMessage().replace('\n', ' ').replace('\r', ' '));
            }
        }
        // x.metrics.json.metrics.json next to x.metrics.json and x: the middle one is itself read as
        // metrics, so the outer one has no output to belong to and stays an ordinary artifact
        for (Path p : List.copyOf(read)) {
            if (metrics.containsKey(p)) {
                metrics.remove(p);
            }
        }
        read.removeIf(p -> !metrics.containsKey(baseOf(p)));
        List<CollectedFile> kept = files.stream().filter(f -> !read.contains(f.file())).toList();
        return new Paired(kept, metrics);
    }

    private static Path baseOf(Path sideFile) {
        String n = sideFile.getFileName().toString();
        return sideFile.resolveSibling(n.substring(0, n.length() - SUFFIX.length()));
    }

    /** The metrics in one side file; {@link InvalidArgumentException} saying what is wrong with it. */
    private static Map<String, Double> read(CollectedFile f) {
        if (f.sizeBytes() > MAX_BYTES) {
            throw new InvalidArgumentException("it is " + f.sizeBytes() + " bytes; a metrics file holds at most "
                    + MAX_BYTES + " bytes");
        }
        JsonNode doc;
        try {
            byte[] bytes = Files.readAllBytes(f.file());
            if (bytes.length > MAX_BYTES) { // grew since it was listed
                throw new InvalidArgumentException("it is over " + MAX_BYTES + " bytes; a metrics file holds at most "
                        + MAX_BYTES + " bytes");
            }
            JsonParser parser = Json.mapper().getFactory().createParser(bytes);
            doc = Json.mapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw new InvalidArgumentException("it holds more than one JSON value; write one object, e.g. "
                        + "{\"val_loss\": 0.31}");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("it is not JSON (" + e.getOriginalMessage() + "); write one object, e.g. "
                    + "{\"val_loss\": 0.31}");
        } catch (IOException e) {
            throw new InvalidArgumentException("it could not be read (" + e.getMessage() + ")");
        }
        if (doc == null || !doc.isObject()) {
            throw new InvalidArgumentException("it is not a JSON object; write one object of numbers, e.g. "
                    + "{\"val_loss\": 0.31, \"epoch\": 3}");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new InvalidArgumentException("'" + Names.printable(e.getKey()) + "' is not a number; every value "
                        + "must be a finite number");
            }
            out.put(e.getKey(), e.getValue().doubleValue());
        }
        Names.checkMetrics(out); // names, finite values (1e999 reads as infinity), at most MAX_METRICS
        return out;
    }
}
