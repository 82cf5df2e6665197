package io.nexus.workflow.engine;

import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.nexus.workflow.repository.WorkflowRepository.VersionRef;

/**
 * What a subworkflow node starts: the parent's place in its tree, and the child's pinned version (both null when the
 * tenant has no such workflow or version).
 */
record ChildPlan(Lineage parent, VersionRef version, CompiledWorkflows.Entry compiled) {
}
