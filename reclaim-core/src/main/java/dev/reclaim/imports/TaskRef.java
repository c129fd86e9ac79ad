package dev.reclaim.imports;

/**
 * A task of an imported tree as its keys name it.
 *
 * @param id      what identifies the task in the tree (the key prefix that holds it, such as
 *                {@code 0/3f2a...} for an MLflow run); with the store's name, the task's import key
 * @param project the project the keys give (before any metadata or {@code --project})
 * @param name    the task's name as the keys give it
 */
public record TaskRef(String id, String project, String name) {
}
