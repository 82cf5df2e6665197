package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexus.cli.output.Printer;

/** Under a table of one page (docs/api.md §4.1): how to ask for the next one. */
final class PageFooter {

    private PageFooter() {
    }

    static void print(Printer printer, JsonNode page) {
        JsonNode next = page.path("nextCursor");
        if (next.isTextual()) {
            printer.line(printer.style().dim("more: --cursor " + next.asText()));
        }
    }
}
