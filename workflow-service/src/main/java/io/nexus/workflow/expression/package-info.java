/**
 * CEL, as workflow expressions use it (docs/api.md §5): compiling with the standard macros and the cost bound,
 * evaluating against inputs, node results and the session, converting between JSON and CEL values, and the pool of
 * threads that does this CPU work off the event loop ({@link io.nexus.workflow.expression.EvaluationPool}).
 *
 * <p>May use {@code config} (the pool's size); nothing else of the service.
 */
package io.nexus.workflow.expression;
