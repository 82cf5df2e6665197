/**
 * The service's own settings, {@code nexus.workflow.*}, as one typed {@code @ConfigMapping} with a default and a
 * description per key (the configuration table in workflow-service/README.md lists them with their environment
 * variables). Depends on nothing else of the service.
 */
package io.nexus.workflow.config;
