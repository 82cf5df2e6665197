/**
 * The tenants' workflow versions as the engine and the services read them: compiled once per version and cached
 * ({@link io.nexus.workflow.catalog.CompiledWorkflows}: CEL programs, JSON Schema, graph; versions are immutable, so an
 * entry never goes stale), and the version each start resolved last
 * ({@link io.nexus.workflow.catalog.ResolvedVersions}, checked by the start statement itself).
 *
 * <p>May use: {@code definition}, {@code expression}, {@code engine.scheduling} (the graph) and the persistence package
 * {@code repository}. Read by {@code engine} and {@code service}; knows neither.
 */
package io.nexus.workflow.catalog;
