package io.nexus.workflow.service;

/**
 * One item of an execution's event stream: a {@code step} or the final {@code end}, numbered within its stream, or a
 * keep-alive that carries nothing. {@code data} is the view the event sends as JSON: a {@code StepView} for a step,
 * an {@code ExecutionOutcomeView} for the end.
 */
public record ExecutionEvent(String name, long sequence, Object data) {

    public static final String STEP = "step";
    public static final String END = "end";

    static final ExecutionEvent KEEP_ALIVE = new ExecutionEvent(null, 0, null);

    public boolean keepAlive() {
        return name == null;
    }
}
