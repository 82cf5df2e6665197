/**
 * The API's request and response shapes (docs/api.md §4), as records: what clients send and see. The service layer
 * maps domain records to these views ({@code service.ExecutionViews}, {@code service.WorkflowViews}); nothing here
 * has behaviour. May use {@code domain}.
 */
package io.nexus.workflow.rest.dto;
