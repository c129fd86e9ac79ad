package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Task;
import dev.reclaim.tasks.TaskViews;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Field names in queries: what can be shown, what can order, and what a wrong name is told. */
class TaskFieldTest {

    @Test
    void sizeOrdersBothWaysButIsNotAFieldToShow() {
        assertThat(Order.parse("size")).isEqualTo(new Order(TaskField.SIZE, false));
        assertThat(Order.parse("-size")).isEqualTo(new Order(TaskField.SIZE, true));
        assertThat(Order.parse("-size").toString()).isEqualTo("-size");
        assertThatThrownBy(() -> TaskField.parse("size")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("'size' can only order tasks, it is not a field to show; known fields: id, name")
                .message().doesNotContain(", size");
    }

    @Test
    void anUnknownSortFieldIsToldTheSortableFieldsSizeIncluded() {
        assertThatThrownBy(() -> Order.parse("-bytes")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unknown sort field 'bytes'; sortable fields: id, name, project, type, owner, status, created, "
                        + "started, ended, status_changed, last_update, archived_at, size");
        assertThatThrownBy(() -> Order.parse("tags")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("cannot order by 'tags'; sortable fields: id,").hasMessageEndingWith("archived_at, size");
        assertThatThrownBy(() -> TaskField.parse("nonsense")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("unknown field 'nonsense'; known fields: id, name");
    }

    @Test
    void aViewNeverShowsSizeEvenWhenEveryFieldIsAskedFor() {
        Task t = Task.builder("0".repeat(28), "n", Instant.EPOCH).project("p").build();
        Map<String, Object> all = TaskViews.view(t, List.of());
        Map<String, Object> every = TaskViews.view(t, List.of(TaskField.values()));
        assertThat(all).doesNotContainKey("size").isEqualTo(every);
        assertThat(TaskViews.value(t, TaskField.SIZE)).isNull();
    }
}
