package io.nexus.workflow.expression;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.config.WorkflowConfig;

/**
 * The threads that compile definitions and evaluate expressions: CPU work that must never run on the event loop (a
 * 200-node definition compiles hundreds of CEL programs; an expression may use its whole cost bound). Daemon threads,
 * one per core by default.
 */
@ApplicationScoped
public class EvaluationPool implements Executor {

    private final ExecutorService threads;

    public EvaluationPool(WorkflowConfig config) {
        int size = config.evaluationThreads() > 0 ? config.evaluationThreads()
                : Runtime.getRuntime().availableProcessors();
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, "nexus-evaluation-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }
}
