package io.nexus.workflow.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One item of an execution's event stream: a {@code step} or the final {@code end}, numbered within its stream, or a
 * keep-alive that carries nothing.
 */
public record ExecutionEvent(String name, long sequence, ObjectNode data) {

    public static final String STEP = "step";
    public static final String END = "end";

    static final ExecutionEvent KEEP_ALIVE = new ExecutionEvent(null, 0, null);

    public boolean keepAlive() {
        return name == null;
    }
}
