/**
 * The MCP server at {@code /mcp} (docs/api.md §4.7): the Streamable HTTP transport on Vert.x ({@link McpEndpoint},
 * {@link HttpStreamTransport}, {@link JsonRpcValidator} in front of the SDK), one MCP Java SDK server per tenant so
 * that each tenant has its own tool namespace ({@link TenantMcpServers}, {@link TenantMcpServer}), and the tools and
 * resources, which run through the same services as the REST API. Like {@code rest}, it may call {@code service},
 * {@code client}, {@code config}, {@code domain} and {@code rest.dto}, never a repository or the engine; nothing else
 * depends on it.
 */
package io.nexus.workflow.mcp;
