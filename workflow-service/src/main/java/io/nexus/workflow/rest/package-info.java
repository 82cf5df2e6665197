/**
 * The HTTP resources of docs/api.md §4 (workflows, executions, their event streams), and
 * {@code /internal/workflows} for marketplace-service's snapshots of published workflows. A resource only maps: it checks
 * the caller's permission, parses path ids and query parameters, calls one service method, and builds the response
 * (status, {@code Location}). Request bodies bind to records in {@code rest.dto} through the common module's strict
 * reader, which reports every bad field at once.
 *
 * <p>May use {@code service}, {@code rest.dto}, {@code domain}; never {@code repository} or the SQL client, and
 * never {@code engine}.
 */
package io.nexus.workflow.rest;
