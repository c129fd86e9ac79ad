package dev.reclaim.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaim.Json;
import dev.reclaim.ReclaimException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores a job spec in a task's {@code spec} field as JSON and reads it back. */
public final class JobSpecs {
    /** Spec kind of a command job. */
    public static final String COMMAND = "command";
    /** Spec kind of a command job a cluster manager runs. */
    public static final String BATCH = "batch";
    /** Spec kind of a Java function job. */
    public static final String FUNCTION = "function";

    private JobSpecs() {
    }

    /** The JSON stored for a spec. A function is stored by its class name only (it stays in memory). */
    public static String toJson(JobSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spec instanceof CommandJob c) {
            m.put("kind", COMMAND);
            m.put("command", c.command());
            m.put("env", c.env());
            if (c.workingDir() != null) {
                m.put("workingDir", c.workingDir());
            }
        } else if (spec instanceof BatchJob b) {
            m.put("kind", BATCH);
            m.put("command", b.command().command());
            m.put("env", b.command().env());
            if (b.command().workingDir() != null) {
                m.put("workingDir", b.command().workingDir());
            }
            m.put("executor", b.executor());
            m.put("options", b.options());
        } else if (spec instanceof FunctionJob<?> f) {
            m.put("kind", FUNCTION);
            m.put("function", f.function().getClass().getName());
        }
        return Json.write(m);
    }

    /** The kind stored in a spec's JSON: {@link #COMMAND} or {@link #FUNCTION}. */
    public static String kindOf(String json) {
        return read(json).get("kind").toString();
    }

    /** Reads a command job back; name and project come from the task. */
    @SuppressWarnings("unchecked")
    public static CommandJob commandFromJson(String name, String project, String json) {
        Map<String, Object> m = read(json);
        return new CommandJob(name, project, (List<String>) m.get("command"), (Map<String, String>) m.get("env"),
                (String) m.get("workingDir"));
    }

    /** Reads a batch job back; name and project come from the task. */
    @SuppressWarnings("unchecked")
    public static BatchJob batchFromJson(String name, String project, String json) {
        Map<String, Object> m = read(json);
        return new BatchJob(commandFromJson(name, project, json), (String) m.get("executor"),
                (Map<String, String>) m.get("options"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String json) {
        try {
            return Json.mapper().readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new ReclaimException("stored job spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
