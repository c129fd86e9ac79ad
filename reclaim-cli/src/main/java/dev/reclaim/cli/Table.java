package dev.reclaim.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as left-aligned columns; the first row is the header. */
final class Table {
    private Table() {
    }

    static void print(List<String[]> rows, PrintWriter out) {
        if (rows.isEmpty()) {
            return;
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i < r.length - 1 ? String.format("%-" + width[i] + "s  ", r[i]) : r[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
