package io.nexus.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns aligned on the widest cell, two spaces apart. Widths are measured before colour is applied, so escape
 * codes never shift a column; the column headed STATUS is coloured by {@link Style#status}.
 */
public final class Table {

    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(cell -> cell == null ? "" : cell).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public List<String> render(Style style) {
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        int statusColumn = headers.indexOf("STATUS");
        List<String> lines = new ArrayList<>();
        lines.add(line(headers, widths, style, true, -1));
        for (List<String> row : rows) {
            lines.add(line(row, widths, style, false, statusColumn));
        }
        return lines;
    }

    private static String line(List<String> cells, int[] widths, Style style, boolean header, int statusColumn) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            boolean last = column == cells.size() - 1;
            String padding = last ? "" : " ".repeat(widths[column] - cell.length()) + GAP;
            String painted = header ? style.bold(cell) : column == statusColumn ? style.status(cell) : cell;
            line.append(painted).append(padding);
        }
        return line.toString();
    }
}
