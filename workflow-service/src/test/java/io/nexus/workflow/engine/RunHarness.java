package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.definition.DefinitionParser;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.expression.ExpressionEngine;
import io.nexus.workflow.expression.ExpressionLimits;

/** Builds runs of small definitions against {@link FakeRunServices}. Backquotes in JSON stand for double quotes. */
final class RunHarness {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DefinitionParser PARSER = new DefinitionParser(new ExpressionEngine(ExpressionLimits.DEFAULTS));

    final FakeRunServices services = new FakeRunServices();
    final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
    ExecutionRecord execution;
    ExecutionRun run;
    /** The session the next started execution belongs to (X-Nexus-Session); null for none. */
    String sessionId;

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('`', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static CompiledWorkflows.Entry compile(String definition) {
        ParsedDefinition parsed = PARSER.parse(json(definition));
        if (!parsed.valid()) {
            throw new AssertionError("invalid test definition: " + parsed.errors());
        }
        return CompiledWorkflows.Entry.of(parsed.workflow());
    }

    /** Starts a run of {@code definition} with {@code inputs}, as a new execution or from committed steps. */
    RunHarness start(String definition, String inputs, List<StepRecord> committed) {
        return start(definition, inputs, committed, services.now.plusSeconds(3600));
    }

    RunHarness start(String definition, String inputs, List<StepRecord> committed, Instant deadline) {
        CompiledWorkflows.Entry entry = compile(definition);
        execution = new ExecutionRecord(UUID.randomUUID(), UUID.randomUUID(), entry.workflow().definition().name(),
                UUID.randomUUID(), 1, ExecutionStatus.RUNNING, ExecutionMode.SYNC, "api", sessionId, json(inputs), null,
                null, deadline, services.now, services.now, null);
        run = new ExecutionRun(execution, entry.workflow(), entry.graph(), services, services, committed, result);
        run.start();
        return this;
    }

    ExecutionResult outcome() {
        if (!result.isDone()) {
            throw new AssertionError("the run has not ended; commits so far: " + services.commits);
        }
        return result.join();
    }

    /** The steps of the commits of {@code kind}, as "node:status" in commit order. */
    List<String> steps(String kind) {
        return services.commits(kind).stream().flatMap(commit -> commit.batch().steps().stream())
                .map(step -> step.node() + ":" + step.status().wire()).toList();
    }
}
