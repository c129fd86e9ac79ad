package dev.reclaim.bench;

/** One benchmark. */
interface Bench {
    /** One line saying what it measures against what. */
    String description();

    /** Runs it and prints the figures. */
    void run(Options options) throws Exception;
}
