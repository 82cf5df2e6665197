package io.nexus.workflow.engine;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

/**
 * Runs one execution's tasks one at a time, in submission order, on a shared pool: the execution's state needs no
 * locks, and its expressions evaluate off the event loop.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // A bug in one step must not wedge the execution's queue; the run's own guards end it.
                LOG.error("An execution task failed", e);
            }
        }
    }
}
