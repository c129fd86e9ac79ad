package dev.reclaim.jobs;

/**
 * What {@link Jobs#results} hands back.
 *
 * @param jobId         the job
 * @param consoleOutput the console output when asked for, else null
 * @param resultJson    the RESULT artifact's content (JSON), or null when the job wrote none
 * @param cleanedUp     true when auto-cleanup removed the job after the hand-back
 */
public record JobResults(String jobId, String consoleOutput, String resultJson, boolean cleanedUp) {
}
