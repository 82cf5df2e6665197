/**
 * The workflow definition language (docs/api.md §5): parsing a definition body, checking every rule at once (names,
 * node types and their config, edges and acyclicity, inputSchema, expressions and their cost bound) so that
 * registration answers 422 with every problem, and the compiled result the engine runs
 * ({@link io.nexus.workflow.definition.CompiledWorkflow}).
 *
 * <p>Pure: no I/O, no CDI state beyond the parser bean. May use {@code expression} (to compile CEL); nothing else of
 * the service.
 */
package io.nexus.workflow.definition;
