package io.nexus.workflow.definition;

/** What a node's failure does: fail the execution, or record the error as the node's result and go on. */
public enum OnError {
    FAIL, CONTINUE
}
