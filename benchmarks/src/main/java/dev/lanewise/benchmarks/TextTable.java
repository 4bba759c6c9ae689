package dev.lanewise.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown pipe table whose columns are padded to a common width, so that the same text reads
 * as a table both in a terminal and wherever Markdown is rendered. The first {@code leftColumns}
 * columns (names) are left-aligned, the rest (figures) right-aligned, in the text and in the
 * Markdown alignment row. A {@code |} inside a cell is escaped.
 *
 * <p>Not thread-safe: built by one thread, then rendered.
 */
final class TextTable {

    private final List<String> header;
    private final int leftColumns;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header, int leftColumns) {
        this.header = List.copyOf(header);
        this.leftColumns = leftColumns;
    }

    /** Appends a row of exactly as many cells as the header has. */
    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns: " + cells);
        }
        rows.add(cells.stream().map(cell -> cell.replace("|", "\\|")).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, a line for the header, one for the alignment and one per row, each ending in a newline. */
    String render() {
        int[] widths = new int[header.size()];
        for (List<String> line : allLines()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, widths);
        sb.append('|');
        for (int c = 0; c < widths.length; c++) {
            int dashes = Math.max(3, widths[c]);
            sb.append(c < leftColumns ? ' ' + "-".repeat(dashes) + ' ' : ' ' + "-".repeat(dashes - 1) + ": ").append('|');
        }
        sb.append('\n');
        rows.forEach(row -> line(sb, row, widths));
        return sb.toString();
    }

    private List<List<String>> allLines() {
        List<List<String>> lines = new ArrayList<>(rows);
        lines.add(header);
        return lines;
    }

    private void line(StringBuilder sb, List<String> cells, int[] widths) {
        sb.append('|');
        for (int c = 0; c < widths.length; c++) {
            int width = Math.max(3, widths[c]);
            String cell = cells.get(c);
            String pad = " ".repeat(Math.max(0, width - cell.length()));
            sb.append(' ').append(c < leftColumns ? cell + pad : pad + cell).append(" |");
        }
        sb.append('\n');
    }
}
