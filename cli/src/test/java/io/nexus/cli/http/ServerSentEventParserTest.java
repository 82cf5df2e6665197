package io.nexus.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventParserTest {

    @Test
    void dispatchesEventsAtBlankLinesAndSkipsComments() {
        List<ServerSentEvent> events = new ArrayList<>();
        ServerSentEventParser parser = new ServerSentEventParser(events::add);
        for (String line : List.of("id:1", "event:step", "data:{\"node\":\"a\"}", "", ": keep-alive", "",
                "id:2", "event:end", "data: {\"status\":", "data:\"completed\"}", "")) {
            parser.line(line);
        }
        assertEquals(List.of(new ServerSentEvent("step", "{\"node\":\"a\"}"),
                new ServerSentEvent("end", "{\"status\":\n\"completed\"}")), events);
    }
}
