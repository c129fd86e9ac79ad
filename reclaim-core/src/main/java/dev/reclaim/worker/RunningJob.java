package dev.reclaim.worker;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Task;

import java.util.concurrent.TimeUnit;

/** A job a worker is running, and the means to stop it. */
final class RunningJob {
    private final Task task;
    private volatile Process process;
    private Thread thread;
    private volatile boolean canceled;
    private volatile boolean requeueOnStop;
    private volatile ConsoleSink console;

    RunningJob(Task task) {
        this.task = task;
    }

    Task task() {
        return task;
    }

    void attach(Process p) {
        process = p;
        if (canceled) {
            kill();
        }
    }

    synchronized void attach(Thread t) {
        thread = t;
    }

    /**
     * The job's code no longer runs in the attached thread: a later cancel must not interrupt it,
     * since the thread goes on to store this job's outputs or to run another job.
     */
    synchronized void detachThread() {
        thread = null;
    }

    void attach(ConsoleSink sink) {
        console = sink;
    }

    /** Sends console output written since the last flush to the store (called by the heartbeat). */
    void flushConsole() {
        ConsoleSink c = console;
        if (c != null) {
            try {
                c.flush();
            } catch (RuntimeException e) {
                // The job may be closing its console right now; its final flush sends the rest.
            }
        }
    }

    boolean isCanceled() {
        return canceled;
    }

    boolean requeueOnStop() {
        return requeueOnStop;
    }

    /** The job was canceled or deleted elsewhere: stop it; its outputs are discarded. */
    void cancel() {
        canceled = true;
        kill();
    }

    /**
     * The worker begins to shut down. A service (which never ends on its own) is asked to end
     * after its current batch and go back on its queue; jobs get the shutdown grace first.
     */
    void shutdownStarting() {
        if (ServiceTask.TYPE.equals(task.type())) {
            requeueOnStop = true;
        }
    }

    /** The worker is shutting down: stop the job and put it back on its queue. */
    void stopForShutdown() {
        requeueOnStop = true;
        cancel();
    }

    private void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
