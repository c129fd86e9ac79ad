package dev.reclaim.jdbc.stateful;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One thing a user (or a crash) does to Reclaim. Indexes pick among the tasks and models made so
 * far, modulo their number, so every generated sequence is valid and shrinks to a shorter valid one.
 */
sealed interface Step {
    /** Creates a task of status CREATED (a draft), COMPLETED or FAILED; maybe the child of an earlier one. */
    record Create(int status, int parent) implements Step {
    }

    /** Adds a file as an artifact; three names per kind, so names collide often. */
    record Add(int task, int kind, int name, int size, boolean replace) implements Step {
    }

    /** Makes a model (any task's) an input of a task. */
    record AddInput(int task, int model) implements Step {
    }

    record Publish(int task) implements Step {
    }

    record Archive(int task) implements Step {
    }

    record Unarchive(int task) implements Step {
    }

    record Delete(int task, boolean force, boolean keepModels) implements Step {
    }

    /** A dry run, then the same run for real; threshold 0 (everything archived is old enough) or a day. */
    record Cleanup(boolean force, int thresholdDays, int pageSize, int parallelism, boolean keepLast) implements Step {
    }

    record Fsck(boolean repair) implements Step {
    }

    /** Time passes. */
    record Wait(int hours) implements Step {
    }

    /** The process dies at its {@code call}-th store call from now, before or after the call took effect. */
    record CrashAt(int call, boolean afterCall) implements Step {
    }

    /** The process dies between steps and a new one starts. */
    record Restart() implements Step {
    }

    /** Every kind of step, the common ones more often. */
    @SuppressWarnings("unchecked")
    static Arbitrary<Step> any() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 15);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Boolean> rarely = Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true));
        return Arbitraries.frequencyOf(
                often(5, Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(-3, 15))
                        .as(Create::new)),
                often(10, Combinators.combine(index, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3000), rarely).as(Add::new)),
                often(2, Combinators.combine(index, index).as(AddInput::new)),
                often(1, index.map(Publish::new)),
                often(3, index.map(Archive::new)),
                often(1, index.map(Unarchive::new)),
                often(2, Combinators.combine(index, flag, flag).as(Delete::new)),
                often(3, Combinators.combine(flag, Arbitraries.integers().between(0, 1), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 3), rarely).as(Cleanup::new)),
                often(1, flag.map(Fsck::new)),
                often(1, Arbitraries.integers().between(1, 48).map(Wait::new)),
                often(3, Combinators.combine(Arbitraries.integers().between(1, 40), flag).as(CrashAt::new)),
                often(1, Arbitraries.just(new Restart())));
    }

    private static Tuple.Tuple2<Integer, Arbitrary<? extends Step>> often(int weight, Arbitrary<? extends Step> steps) {
        return Tuple.of(weight, steps);
    }
}
