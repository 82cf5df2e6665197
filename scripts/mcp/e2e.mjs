#!/usr/bin/env node
// MCP at /mcp end to end, through the gateway of a running stack, with the official TypeScript SDK client
// (@modelcontextprotocol/sdk: Client + StreamableHTTPClientTransport) and raw fetch where the transport itself is
// under test. Run by scripts/suites/mcp.sh, which makes the tenants and keys and passes them in:
//
//   NEXUS_URL          the gateway, e.g. http://127.0.0.1:8000 (MCP is NEXUS_URL/mcp)
//   MCP_KEY_A          a developer key of tenant A        MCP_VIEWER_A   a viewer key of tenant A
//   MCP_KEY_B          a developer key of tenant B (another tenant)
//   NEXUS_ADMIN_KEY    the platform admin key (only to see that /mcp refuses it)
//   NEXUS_CLI          optional: the nexus CLI (default: scripts/nexus next to this directory)
//   NEXUS_WORKFLOW_METRICS_URL  optional: workflow-service's /q/metrics (default http://127.0.0.1:8082/q/metrics)
//
// Prints one "ok - ..." or "not ok - ...: why" line per check (as the other process-level suites do) and exits 1 when
// any check failed. Every check asserts specific values; a check that needs what an earlier one produced fails with
// that reason rather than being skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

// ---------------------------------------------------------------------------------------------------- configuration

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e.mjs: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const GATEWAY = required('NEXUS_URL').replace(/\/+$/, '');
const MCP_URL = `${GATEWAY}/mcp`;
const KEY_A = required('MCP_KEY_A');
const VIEWER_A = required('MCP_VIEWER_A');
const KEY_B = required('MCP_KEY_B');
const ADMIN_KEY = required('NEXUS_ADMIN_KEY');
const NEXUS_CLI = process.env.NEXUS_CLI || fileURLToPath(new URL('../nexus', import.meta.url));
const WORKFLOW_METRICS = process.env.NEXUS_WORKFLOW_METRICS_URL || 'http://127.0.0.1:8082/q/metrics';
const CHECK_TIMEOUT_MS = 45_000;
const LATEST = '2025-11-25';
const OLDER = '2025-03-26';

// --------------------------------------------------------------------------------------------------------- checks

let passed = 0;
let failed = 0;

/** Runs one named check: "ok - name" when fn resolves, "not ok - name: why" when it throws or takes too long. */
async function check(name, fn) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    const why = (error?.message ?? String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' | ');
    console.log(`not ok - ${name}: ${why.slice(0, 600)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** What an earlier check should have produced; throws naming it when it did not. */
function needs(value, what) {
  if (value === undefined || value === null) {
    throw new Error(`needs ${what}, which an earlier check did not produce`);
  }
  return value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries fn every 250 ms until it returns without throwing; throws its last error after ms. */
async function eventually(ms, fn) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(250);
    }
  }
}

/** Awaits promise, which must reject with a JSON-RPC error (McpError) of code whose message matches pattern. */
async function rpcError(promise, code, pattern) {
  let result;
  try {
    result = await promise;
  } catch (error) {
    assert.ok(error instanceof McpError, `expected a JSON-RPC error, got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.code, code, `JSON-RPC error code (message: ${error.message})`);
    if (pattern) assert.match(error.message, pattern, 'JSON-RPC error message');
    return error;
  }
  throw new Error(`expected JSON-RPC error ${code}, got a result: ${JSON.stringify(result).slice(0, 300)}`);
}

// ----------------------------------------------------------------------------------------------------------- REST

/** A REST call through the gateway: {status, headers, json}. */
async function rest(key, method, path, body, headers = {}) {
  const response = await fetch(`${GATEWAY}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

async function restOk(key, method, path, body, expected, headers) {
  const answer = await rest(key, method, path, body, headers);
  assert.equal(answer.status, expected, `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return answer.json;
}

// -------------------------------------------------------------------------------------------- raw MCP over fetch

const ACCEPT_BOTH = 'application/json, text/event-stream';
let rpcId = 1000;
const initializeMessage = (version) => ({
  jsonrpc: '2.0',
  id: ++rpcId,
  method: 'initialize',
  params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'nexus-e2e-raw', version: '1.0.0' } },
});
const request = (method, params = {}) => ({ jsonrpc: '2.0', id: ++rpcId, method, params });

/** The JSON-RPC messages of an answer body, plain JSON or Server-Sent Events. */
function messagesOf(contentType, text) {
  if (!text) return [];
  if ((contentType ?? '').startsWith('text/event-stream')) {
    return text
      .split(/\r?\n\r?\n/)
      .map((event) => event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n'))
      .filter(Boolean)
      .map((data) => JSON.parse(data));
  }
  const json = JSON.parse(text);
  return Array.isArray(json) ? json : [json];
}

/** One HTTP request to /mcp: {status, headers, contentType, messages, json (the last message)}. */
async function mcpHttp(method, { key, message, session, version, origin, accept = ACCEPT_BOTH, headers = {} } = {}) {
  const response = await fetch(MCP_URL, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(message ? { 'Content-Type': 'application/json' } : {}),
      Accept: accept,
      ...(session ? { 'Mcp-Session-Id': session } : {}),
      ...(version ? { 'MCP-Protocol-Version': version } : {}),
      ...(origin ? { Origin: origin } : {}),
      ...headers,
    },
    body: message ? JSON.stringify(message) : undefined,
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  let messages = [];
  try {
    messages = messagesOf(contentType, text);
  } catch {
    messages = [];
  }
  return { status: response.status, headers: response.headers, contentType, text, messages, json: messages.at(-1) };
}

/** A raw initialize + notifications/initialized; answers {session, version, answer}. */
async function rawSession(key, version = LATEST, extra = {}) {
  const answer = await mcpHttp('POST', { key, message: initializeMessage(version), ...extra });
  assert.equal(answer.status, 200, `initialize answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const session = answer.headers.get('mcp-session-id');
  assert.ok(session, 'initialize answered no Mcp-Session-Id');
  const initialized = await mcpHttp('POST', {
    key, session, version, message: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  assert.equal(initialized.status, 202, `notifications/initialized answered ${initialized.status}`);
  return { session, version, answer };
}

// --------------------------------------------------------------------------------------------------- SDK clients

const clients = [];

/**
 * An SDK client connected to /mcp with key (and extra headers, such as X-Nexus-Session, on every request). Its fetch is
 * wrapped to record each HTTP exchange ({method, rpc, status, contentType}) in client.exchanges, and client.listening
 * resolves with the status of the GET stream the transport opens after initialize.
 */
async function connect(key, { headers = {}, onToolListChanged } = {}) {
  const exchanges = [];
  let streamOpened;
  const listening = new Promise((resolve) => { streamOpened = resolve; });
  const recordingFetch = async (url, init = {}) => {
    const response = await fetch(url, init);
    let rpc;
    try {
      rpc = typeof init.body === 'string' ? JSON.parse(init.body).method : undefined;
    } catch {
      rpc = undefined;
    }
    exchanges.push({ method: init.method ?? 'GET', rpc, status: response.status, contentType: response.headers.get('content-type') });
    if ((init.method ?? 'GET') === 'GET') streamOpened({ status: response.status, contentType: response.headers.get('content-type') });
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: { headers: { Authorization: `Bearer ${key}`, ...headers } },
    fetch: recordingFetch,
  });
  const client = new Client({ name: 'nexus-e2e', version: '1.0.0' });
  if (onToolListChanged) client.setNotificationHandler(ToolListChangedNotificationSchema, onToolListChanged);
  await client.connect(transport);
  client.transportOf = transport;
  client.exchanges = exchanges;
  client.listening = listening;
  clients.push(client);
  return client;
}

/** Ends a client's MCP session (DELETE) and closes it; errors are the caller's to see. */
async function disconnect(client) {
  await client.transportOf.terminateSession();
  await client.close();
  clients.splice(clients.indexOf(client), 1);
}

/** The single text content of a tool result, parsed as JSON. */
function textJson(result) {
  const texts = (result.content ?? []).filter((item) => item.type === 'text');
  assert.equal(texts.length, 1, `expected one text content, got ${JSON.stringify(result.content)}`);
  return JSON.parse(texts[0].text);
}

const toolNames = (tools) => tools.map((tool) => tool.name).sort();

// -------------------------------------------------------------------------------------------------------- metrics

/** Prometheus text → the sum of the samples of name whose labels include every pair of labels. */
function metricSum(text, name, labels) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const match = /^[^{]+\{(.*)\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const have = Object.fromEntries([...match[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[2]);
  }
  return sum;
}

async function scrape(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  return response.text();
}

// ------------------------------------------------------------------------------------------------------ workflows

const greetSchemaA = {
  type: 'object',
  properties: { who: { type: 'string', description: 'whom to greet' } },
  required: ['who'],
  additionalProperties: false,
};
const WORKFLOWS_A = [
  {
    name: 'greet', description: 'Greets someone by name (tenant A)', inputSchema: greetSchemaA,
    nodes: [{ id: 'hello', type: 'transform', config: { expression: '{"text": "hello " + inputs.who}' } }],
  },
  {
    name: 'divide', description: 'Divides 100 by d',
    inputSchema: { type: 'object', properties: { d: { type: 'integer' } }, required: ['d'] },
    nodes: [{ id: 'divide', type: 'transform', config: { expression: '{"q": 100 / inputs.d}' } }],
  },
  {
    name: 'slow', description: 'Two steps three seconds apart',
    nodes: [
      { id: 'first', type: 'transform', config: { expression: '1' } },
      { id: 'pause', type: 'delay', config: { durationMs: 3000 } },
      { id: 'second', type: 'transform', config: { expression: '{"done": true}' } },
    ],
    edges: [{ from: 'first', to: 'pause' }, { from: 'pause', to: 'second' }],
  },
  {
    name: 'sleeper', description: 'Waits a minute',
    nodes: [{ id: 'nap', type: 'delay', config: { durationMs: 60000 } }],
  },
  {
    name: 'dozer', description: 'Also waits a minute',
    nodes: [{ id: 'nap', type: 'delay', config: { durationMs: 60000 } }],
  },
  {
    name: 'approve', description: 'Waits for the signal approve',
    nodes: [{ id: 'approval', type: 'wait', config: { signal: 'approve' } }],
  },
  {
    name: 'remember', description: 'Remembers who ran it last in the Nexus session',
    inputSchema: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] },
    nodes: [{ id: 'remember', type: 'session', config: { merge: '{"last": inputs.who}' } }],
  },
  { name: 'bare', nodes: [{ id: 'one', type: 'transform', config: { expression: '1' } }] },
];
const WORKFLOWS_B = [
  {
    name: 'greet', description: 'Salutes, the way tenant B does it',
    inputSchema: { type: 'object', properties: { name: { type: 'string' } } },
    nodes: [{ id: 'salute', type: 'transform', config: { expression: '{"text": "salut " + inputs.name}' } }],
  },
  { name: 'b-only', description: 'Only tenant B has this', nodes: [{ id: 'one', type: 'transform', config: { expression: '1' } }] },
  { name: 'b-hold', description: 'Holds B\'s only execution slot', nodes: [{ id: 'hold', type: 'wait', config: { signal: 'go' } }] },
];
const NEXUS_TOOLS = ['nexus_get_execution', 'nexus_list_workflows', 'nexus_marketplace_install', 'nexus_marketplace_search', 'nexus_send_signal', 'nexus_session_get', 'nexus_session_update'];

// What the checks hand on to each other.
const state = {};

// -------------------------------------------------------------------------------------------------- check groups

async function setUp() {
  await check('setup: tenant A registers its workflows (201 each)', async () => {
    for (const workflow of WORKFLOWS_A) await restOk(KEY_A, 'POST', '/api/v1/workflows', workflow, 201);
  });
  await check('setup: tenant B registers its workflows, one named like one of A\'s (201 each)', async () => {
    for (const workflow of WORKFLOWS_B) await restOk(KEY_B, 'POST', '/api/v1/workflows', workflow, 201);
  });
  await check('setup: the metrics of the gateway and of workflow-service are read before anything runs', async () => {
    state.gatewayMetricsBefore = await scrape(`${GATEWAY}/q/metrics`);
    state.workflowMetricsBefore = await scrape(WORKFLOW_METRICS);
  });
}

async function authChecks() {
  await check('auth: POST /mcp without a key is 401 problem+json with WWW-Authenticate', async () => {
    const answer = await mcpHttp('POST', { message: initializeMessage(LATEST) });
    assert.equal(answer.status, 401);
    assert.match(answer.contentType ?? '', /^application\/problem\+json/);
    assert.equal(JSON.parse(answer.text).type, 'urn:nexus:problem:unauthorized');
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
  });
  await check('auth: POST /mcp with an unknown key is 401', async () => {
    const answer = await mcpHttp('POST', { key: 'nxk_not_a_key_0123456789abcdef', message: initializeMessage(LATEST) });
    assert.equal(answer.status, 401);
  });
  await check('auth: the key may also come as X-API-Key (initialize 200)', async () => {
    const answer = await mcpHttp('POST', { headers: { 'X-API-Key': KEY_A }, message: initializeMessage(LATEST) });
    assert.equal(answer.status, 200, answer.text);
    await mcpHttp('DELETE', { key: KEY_A, session: answer.headers.get('mcp-session-id'), version: LATEST });
  });
  await check('auth: POST /mcp with the platform admin key is 403 problem+json', async () => {
    const answer = await mcpHttp('POST', { key: ADMIN_KEY, message: initializeMessage(LATEST) });
    assert.equal(answer.status, 403);
    assert.match(answer.contentType ?? '', /^application\/problem\+json/);
    assert.equal(JSON.parse(answer.text).type, 'urn:nexus:problem:forbidden');
  });
}

async function initializeChecks() {
  for (const version of [LATEST, OLDER]) {
    await check(`initialize: protocol ${version} over raw fetch is 200 with Mcp-Session-Id and that version`, async () => {
      const answer = await mcpHttp('POST', { key: KEY_A, message: initializeMessage(version) });
      assert.equal(answer.status, 200, answer.text);
      assert.match(answer.headers.get('mcp-session-id') ?? '', /^[\x21-\x7e]{8,}$/, 'Mcp-Session-Id');
      assert.equal(answer.json.result.protocolVersion, version);
      assert.equal(answer.json.result.serverInfo.name, 'nexus');
      assert.equal(answer.json.result.capabilities.tools.listChanged, true);
      assert.match(answer.contentType ?? '', /^application\/json/);
      assert.match(answer.headers.get('ratelimit-limit') ?? '', /^\d+$/, 'counted against the rate limit (RateLimit-Limit)');
      await mcpHttp('DELETE', { key: KEY_A, session: answer.headers.get('mcp-session-id'), version });
    });
  }
  await check(`initialize: a session at ${OLDER} lists tools with MCP-Protocol-Version ${OLDER}`, async () => {
    const { session } = await rawSession(KEY_A, OLDER);
    const answer = await mcpHttp('POST', { key: KEY_A, session, version: OLDER, message: request('tools/list') });
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.json.result.tools.some((tool) => tool.name === 'greet'), 'greet among the tools');
    await mcpHttp('DELETE', { key: KEY_A, session, version: OLDER });
  });
  await check(`initialize: the SDK client connects and negotiates ${LATEST} with server nexus`, async () => {
    state.clientA = await connect(KEY_A);
    assert.equal(state.clientA.transportOf.protocolVersion, LATEST);
    assert.ok(state.clientA.transportOf.sessionId, 'the SDK transport has a session id');
    assert.equal(state.clientA.getServerVersion().name, 'nexus');
    assert.equal(state.clientA.getServerCapabilities().tools.listChanged, true);
  });
}

async function toolListChecks() {
  await check('tools/list: exactly one tool per workflow of tenant A plus the seven nexus_* tools', async () => {
    const { tools } = await needs(state.clientA, 'client A').listTools();
    state.toolsA = tools;
    assert.deepEqual(toolNames(tools), [...WORKFLOWS_A.map((w) => w.name), ...NEXUS_TOOLS].sort());
  });
  await check('tools/list: every workflow tool has its workflow\'s description and inputSchema', async () => {
    const tools = needs(state.toolsA, 'tools of A');
    for (const workflow of WORKFLOWS_A.filter((w) => w.description)) {
      const tool = tools.find((t) => t.name === workflow.name);
      assert.equal(tool.description, workflow.description, `description of ${workflow.name}`);
      assert.deepEqual(tool.inputSchema, workflow.inputSchema ?? { type: 'object' }, `inputSchema of ${workflow.name}`);
    }
    assert.deepEqual(tools.find((t) => t.name === 'greet').inputSchema, greetSchemaA);
  });
  await check('tools/list: a workflow without inputSchema takes any object', async () => {
    const bare = needs(state.toolsA, 'tools of A').find((tool) => tool.name === 'bare');
    assert.deepEqual(bare.inputSchema, { type: 'object' });
    assert.match(bare.description, /^Runs the workflow 'bare'/);
  });
  await check('tools/list: the nexus_* tools have object schemas (nexus_get_execution requires executionId)', async () => {
    const get = needs(state.toolsA, 'tools of A').find((tool) => tool.name === 'nexus_get_execution');
    assert.equal(get.inputSchema.type, 'object');
    assert.deepEqual(get.inputSchema.required, ['executionId']);
  });
}

async function toolCallChecks() {
  await check('tools/call: a workflow tool runs it: structuredContent {executionId, status completed, outputs, error null, durationMs}', async () => {
    const client = needs(state.clientA, 'client A');
    const exchanges = client.exchanges.length;
    const result = await client.callTool({ name: 'greet', arguments: { who: 'ada' } });
    state.greetResult = result;
    const exchange = client.exchanges.slice(exchanges).find((e) => e.rpc === 'tools/call');
    assert.match(exchange?.contentType ?? '', /^application\/json/, 'a call that ends at once is answered as plain JSON');
    assert.notEqual(result.isError, true, 'isError');
    const outcome = result.structuredContent;
    assert.deepEqual(Object.keys(outcome).sort(), ['durationMs', 'error', 'executionId', 'outputs', 'status']);
    assert.match(outcome.executionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(outcome.outputs, { hello: { text: 'hello ada' } });
    assert.equal(outcome.error, null);
    assert.ok(Number.isInteger(outcome.durationMs) && outcome.durationMs >= 0, `durationMs ${outcome.durationMs}`);
    state.greetExecution = outcome.executionId;
  });
  await check('tools/call: the text content is the same JSON as structuredContent', async () => {
    const result = needs(state.greetResult, 'the greet result');
    assert.deepEqual(textJson(result), result.structuredContent);
  });
  await check('tools/call: GET /api/v1/executions/{id} shows the run with channel mcp and the arguments as inputs', async () => {
    const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${needs(state.greetExecution, 'the greet execution')}`, undefined, 200);
    assert.equal(execution.channel, 'mcp');
    assert.equal(execution.workflow, 'greet');
    assert.equal(execution.status, 'completed');
    assert.deepEqual(execution.inputs, { who: 'ada' });
    assert.equal(execution.sessionId, null);
  });
  await check('tools/call: X-Nexus-Channel: api on /mcp does not relabel the run (channel stays mcp)', async () => {
    const { session } = await rawSession(KEY_A);
    const answer = await mcpHttp('POST', {
      key: KEY_A, session, version: LATEST, headers: { 'X-Nexus-Channel': 'api' },
      message: request('tools/call', { name: 'greet', arguments: { who: 'mallory' } }),
    });
    assert.equal(answer.status, 200, answer.text);
    const id = answer.json.result.structuredContent.executionId;
    const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${id}`, undefined, 200);
    assert.equal(execution.channel, 'mcp');
    await mcpHttp('DELETE', { key: KEY_A, session, version: LATEST });
  });
  await check('tools/call: a failing workflow is a result with isError true naming the failure, not a JSON-RPC error', async () => {
    const result = await needs(state.clientA, 'client A').callTool({ name: 'divide', arguments: { d: 0 } });
    assert.equal(result.isError, true, `isError in ${JSON.stringify(result)}`);
    const text = result.content.filter((item) => item.type === 'text').map((item) => item.text).join(' ');
    assert.match(text, /failed/);
    assert.match(text, /expression/);
    assert.match(text, /divide/);
    assert.equal(result.structuredContent?.status, 'failed');
    assert.equal(result.structuredContent?.error?.code, 'expression');
    assert.equal(result.structuredContent?.error?.node, 'divide');
    assert.ok(text.includes(result.structuredContent.error.message), `the text names the message: ${text}`);
    const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${result.structuredContent.executionId}`, undefined, 200);
    assert.equal(execution.status, 'failed');
    assert.equal(execution.channel, 'mcp');
  });
  await check('tools/call: the same workflow with good arguments completes (100 / 4 = 25)', async () => {
    const result = await needs(state.clientA, 'client A').callTool({ name: 'divide', arguments: { d: 4 } });
    assert.notEqual(result.isError, true);
    assert.deepEqual(result.structuredContent.outputs, { divide: { q: 25 } });
  });
  await check('tools/call: an argument of the wrong type is JSON-RPC error -32602 naming inputs.who', async () => {
    const error = await rpcError(needs(state.clientA, 'client A').callTool({ name: 'greet', arguments: { who: 42 } }), -32602, /inputs\.who/);
    assert.deepEqual(error.data?.errors?.map((e) => e.field), ['inputs.who'], `data.errors: ${JSON.stringify(error.data)}`);
  });
  await check('tools/call: a missing required argument is JSON-RPC error -32602 naming who', async () => {
    await rpcError(needs(state.clientA, 'client A').callTool({ name: 'greet', arguments: {} }), -32602, /who/);
  });
  await check('tools/call: an unknown tool is JSON-RPC error -32602 naming the tool', async () => {
    await rpcError(needs(state.clientA, 'client A').callTool({ name: 'no-such-workflow', arguments: {} }), -32602, /no-such-workflow/);
  });
  await check('tools/call: a bad-arguments call starts no execution', async () => {
    const list = await restOk(KEY_A, 'GET', '/api/v1/executions?workflow=greet', undefined, 200);
    assert.equal(list.items.length, 2, `greet ran ${list.items.length} times, expected 2 (ada, mallory)`);
    assert.ok(list.items.some((item) => item.id === needs(state.greetExecution, 'the greet execution')));
  });
}

async function progressChecks() {
  await check('progress: a 3 s workflow called with onprogress gets progress notifications before its result', async () => {
    const progress = [];
    const client = needs(state.clientA, 'client A');
    const exchanges = client.exchanges.length;
    const started = Date.now();
    const result = await client.callTool({ name: 'slow', arguments: {} }, undefined, {
      onprogress: (notification) => progress.push({ ...notification, at: Date.now() }),
    });
    const resolvedAt = Date.now();
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.status, 'completed');
    assert.deepEqual(result.structuredContent.outputs, { second: { done: true } });
    assert.ok(resolvedAt - started >= 2500, `the call took ${resolvedAt - started} ms, less than the 3 s delay`);
    assert.ok(progress.length >= 1, 'no progress notification arrived');
    assert.ok(progress[0].at <= resolvedAt, 'the first progress came after the result');
    progress.forEach((p, i) => {
      assert.equal(p.progress, i + 1, `progress counts the steps reported: ${JSON.stringify(progress)}`);
      assert.match(p.message ?? '', /^step '[a-z_][a-z0-9_]*' [a-z]+$/, `progress message: ${JSON.stringify(p)}`);
    });
    assert.ok(progress.some((p) => p.message === "step 'first' completed"), `no progress for 'first': ${JSON.stringify(progress)}`);
    const exchange = client.exchanges.slice(exchanges).find((e) => e.rpc === 'tools/call');
    assert.match(exchange?.contentType ?? '', /^text\/event-stream/, 'with progress first the answer is an SSE stream');
    state.slowExecution = result.structuredContent.executionId;
  });
  await check('progress: a call without onprogress gets the same result and no progress', async () => {
    const client = needs(state.clientA, 'client A');
    const before = client.exchanges.length;
    const result = await client.callTool({ name: 'slow', arguments: {} });
    assert.equal(result.structuredContent.status, 'completed');
    const exchange = client.exchanges.slice(before).find((e) => e.rpc === 'tools/call');
    assert.ok(exchange, 'the tools/call exchange was not recorded');
    assert.equal(exchange.status, 200);
  });
}

async function cancelChecks() {
  await check('cancel: aborting a call makes the SDK send notifications/cancelled, which is accepted (202)', async () => {
    const client = needs(state.clientA, 'client A');
    const controller = new AbortController();
    const before = client.exchanges.length;
    const call = client.callTool({ name: 'sleeper', arguments: {} }, undefined, { signal: controller.signal, timeout: 120_000 });
    const outcome = call.then(() => 'resolved', (error) => error);
    await sleep(2000);
    controller.abort('the e2e test cancels');
    const settled = await outcome;
    assert.notEqual(settled, 'resolved', 'the aborted call resolved');
    await eventually(3000, async () => {
      const cancelled = client.exchanges.slice(before).find((e) => e.rpc === 'notifications/cancelled');
      assert.ok(cancelled, 'no notifications/cancelled was POSTed');
      assert.equal(cancelled.status, 202);
    });
  });
  await check('cancel: the execution of the cancelled call is cancelled (within 10 s), channel mcp', async () => {
    const execution = await eventually(10_000, async () => {
      const list = await restOk(KEY_A, 'GET', '/api/v1/executions?workflow=sleeper', undefined, 200);
      assert.equal(list.items.length, 1, `executions of sleeper: ${JSON.stringify(list.items)}`);
      assert.equal(list.items[0].status, 'cancelled', `status of ${list.items[0].id}`);
      return list.items[0];
    });
    assert.equal(execution.channel, 'mcp');
    assert.equal(execution.error?.code, 'cancelled');
  });
  await check('cancel: aborting within the first 300 ms (before the start has answered) also cancels the execution', async () => {
    const client = needs(state.clientA, 'client A');
    const controller = new AbortController();
    const call = client.callTool({ name: 'dozer', arguments: {} }, undefined, { signal: controller.signal, timeout: 120_000 });
    const outcome = call.then(() => 'resolved', (error) => error);
    await sleep(300);
    controller.abort('the e2e test cancels early');
    assert.notEqual(await outcome, 'resolved', 'the aborted call resolved');
    await eventually(10_000, async () => {
      const list = await restOk(KEY_A, 'GET', '/api/v1/executions?workflow=dozer', undefined, 200);
      assert.equal(list.items.length, 1, `executions of dozer: ${JSON.stringify(list.items)}`);
      assert.equal(list.items[0].status, 'cancelled', `status of ${list.items[0].id}`);
    });
  });
}

async function platformToolChecks() {
  await check('nexus_get_execution: answers the execution as REST shows it', async () => {
    const id = needs(state.greetExecution, 'the greet execution');
    const result = await needs(state.clientA, 'client A').callTool({ name: 'nexus_get_execution', arguments: { executionId: id } });
    assert.notEqual(result.isError, true);
    const viaRest = await restOk(KEY_A, 'GET', `/api/v1/executions/${id}`, undefined, 200);
    assert.deepEqual(result.structuredContent, viaRest);
  });
  await check('nexus_get_execution: an unknown id is a JSON-RPC error -32602', async () => {
    await rpcError(needs(state.clientA, 'client A').callTool({
      name: 'nexus_get_execution', arguments: { executionId: '00000000-0000-7000-8000-000000000000' },
    }), -32602, /execution/);
  });
  await check('nexus_get_execution: a malformed id is a JSON-RPC error -32602, as REST answers it 404 (not -32603)', async () => {
    assert.equal((await rest(KEY_A, 'GET', '/api/v1/executions/not-an-id')).status, 404, 'REST');
    await rpcError(needs(state.clientA, 'client A').callTool({
      name: 'nexus_get_execution', arguments: { executionId: 'not-an-id' },
    }), -32602, /not-an-id/);
  });
  await check('nexus_send_signal: a malformed execution id is a JSON-RPC error -32602 (not -32603)', async () => {
    await rpcError(needs(state.clientA, 'client A').callTool({
      name: 'nexus_send_signal', arguments: { executionId: 'not-an-id', signal: 'approve' },
    }), -32602, /not-an-id/);
  });
  await check('nexus_list_workflows: lists tenant A\'s workflows', async () => {
    const result = await needs(state.clientA, 'client A').callTool({ name: 'nexus_list_workflows', arguments: {} });
    assert.deepEqual(result.structuredContent.items.map((item) => item.name).sort(), WORKFLOWS_A.map((w) => w.name).sort());
  });
  await check('nexus_list_workflows: query filters by name or description', async () => {
    const result = await needs(state.clientA, 'client A').callTool({ name: 'nexus_list_workflows', arguments: { query: 'minute' } });
    assert.deepEqual(result.structuredContent.items.map((item) => item.name).sort(), ['dozer', 'sleeper']);
  });
  await check('nexus_list_workflows: a cursor the API did not issue is JSON-RPC error -32602 naming cursor (REST: 400)', async () => {
    assert.equal((await rest(KEY_A, 'GET', '/api/v1/workflows?cursor=garbage')).status, 400, 'REST');
    await rpcError(needs(state.clientA, 'client A').callTool({ name: 'nexus_list_workflows', arguments: { cursor: 'garbage' } }), -32602, /cursor/);
  });
  await check('nexus_send_signal: resumes a waiting execution started over REST with the payload', async () => {
    const started = await restOk(KEY_A, 'POST', '/api/v1/workflows/approve/executions', { mode: 'async' }, 202);
    const result = await needs(state.clientA, 'client A').callTool({
      name: 'nexus_send_signal', arguments: { executionId: started.executionId, signal: 'approve', payload: { by: 'mcp' } },
    });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.status, 'accepted');
    await eventually(10_000, async () => {
      const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${started.executionId}`, undefined, 200);
      assert.equal(execution.status, 'completed');
      assert.deepEqual(execution.outputs, { approval: { by: 'mcp' } });
    });
  });
}

async function resourceChecks() {
  await check('resources: templates/list has nexus://workflows/{name} and nexus://executions/{id}', async () => {
    const { resourceTemplates } = await needs(state.clientA, 'client A').listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ['nexus://executions/{id}', 'nexus://workflows/{name}']);
    for (const template of resourceTemplates) assert.equal(template.mimeType, 'application/json');
  });
  await check('resources: nexus://workflows/greet is the JSON of the definition REST shows', async () => {
    const { contents } = await needs(state.clientA, 'client A').readResource({ uri: 'nexus://workflows/greet' });
    assert.equal(contents.length, 1);
    assert.equal(contents[0].uri, 'nexus://workflows/greet');
    assert.equal(contents[0].mimeType, 'application/json');
    const viaRest = await restOk(KEY_A, 'GET', '/api/v1/workflows/greet', undefined, 200);
    assert.deepEqual(JSON.parse(contents[0].text), viaRest);
  });
  await check('resources: nexus://executions/{id} is the JSON of the execution', async () => {
    const id = needs(state.greetExecution, 'the greet execution');
    const { contents } = await needs(state.clientA, 'client A').readResource({ uri: `nexus://executions/${id}` });
    const execution = JSON.parse(contents[0].text);
    assert.equal(execution.id, id);
    assert.equal(execution.status, 'completed');
    assert.equal(execution.channel, 'mcp');
    assert.deepEqual(execution.outputs, { hello: { text: 'hello ada' } });
  });
  await check('resources: an unknown workflow is a JSON-RPC error (-32002 resource not found)', async () => {
    const uri = 'nexus://workflows/no-such-workflow';
    const error = await rpcError(needs(state.clientA, 'client A').readResource({ uri }), -32002);
    assert.equal(error.data?.uri, uri, 'the error\'s data names the URI');
  });
  await check('resources: an unknown execution id is a JSON-RPC error (-32002)', async () => {
    const uri = 'nexus://executions/00000000-0000-7000-8000-000000000000';
    const error = await rpcError(needs(state.clientA, 'client A').readResource({ uri }), -32002);
    assert.equal(error.data?.uri, uri, 'the error\'s data names the URI');
  });
  await check('resources: a malformed execution id is the same "resource not found" (-32002), not -32603', async () => {
    await rpcError(needs(state.clientA, 'client A').readResource({ uri: 'nexus://executions/not-an-id' }), -32002);
  });
  await check('resources: a URI matching no template is a JSON-RPC error', async () => {
    let error;
    try {
      await needs(state.clientA, 'client A').readResource({ uri: 'nexus://nothing/here' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof McpError, `expected a JSON-RPC error, got ${error}`);
  });
}

async function roleChecks() {
  await check('roles: a viewer key connects and lists the same tools', async () => {
    state.viewer = await connect(VIEWER_A);
    const { tools } = await state.viewer.listTools();
    assert.deepEqual(toolNames(tools), [...WORKFLOWS_A.map((w) => w.name), ...NEXUS_TOOLS].sort());
  });
  await check('roles: a viewer reads resources', async () => {
    const { contents } = await needs(state.viewer, 'the viewer client').readResource({ uri: 'nexus://workflows/greet' });
    assert.equal(JSON.parse(contents[0].text).name, 'greet');
  });
  await check('roles: a viewer calls nexus_get_execution', async () => {
    const id = needs(state.greetExecution, 'the greet execution');
    const result = await needs(state.viewer, 'the viewer client').callTool({ name: 'nexus_get_execution', arguments: { executionId: id } });
    assert.notEqual(result.isError, true);
    assert.equal(result.structuredContent.id, id);
  });
  await check('roles: a viewer calling a workflow tool gets JSON-RPC error -32001 naming its role, and nothing runs', async () => {
    const before = await restOk(KEY_A, 'GET', '/api/v1/executions?workflow=greet', undefined, 200);
    await rpcError(needs(state.viewer, 'the viewer client').callTool({ name: 'greet', arguments: { who: 'eve' } }), -32001, /viewer/);
    const after = await restOk(KEY_A, 'GET', '/api/v1/executions?workflow=greet', undefined, 200);
    assert.equal(after.items.length, before.items.length, 'an execution was started');
  });
  await check('roles: a viewer calling nexus_session_update gets JSON-RPC error -32001', async () => {
    await rpcError(needs(state.viewer, 'the viewer client').callTool({
      name: 'nexus_session_update', arguments: { sessionId: 'AAAAAAAAAAAAAAAAAAAAAA', data: { k: 1 } },
    }), -32001, /viewer/);
  });
}

async function isolationChecks() {
  await check('isolation: tenant B sees its own greet, with its own description and schema', async () => {
    state.clientB = await connect(KEY_B);
    const { tools } = await state.clientB.listTools();
    state.toolsB = tools;
    const greet = tools.find((tool) => tool.name === 'greet');
    assert.ok(greet, 'B has no greet tool');
    assert.equal(greet.description, 'Salutes, the way tenant B does it');
    assert.deepEqual(greet.inputSchema, WORKFLOWS_B[0].inputSchema);
  });
  await check('isolation: tenant B\'s tools/list is its workflows and the nexus_* tools, none of A\'s others', async () => {
    const tools = needs(state.toolsB, 'tools of B');
    assert.deepEqual(toolNames(tools), [...WORKFLOWS_B.map((w) => w.name), ...NEXUS_TOOLS].sort());
    for (const name of ['divide', 'slow', 'sleeper', 'dozer', 'approve', 'remember', 'bare']) {
      assert.ok(!tools.some((tool) => tool.name === name), `B sees A's ${name}`);
    }
  });
  await check('isolation: tenant B\'s greet runs B\'s workflow', async () => {
    const result = await needs(state.clientB, 'client B').callTool({ name: 'greet', arguments: { name: 'bob' } });
    assert.deepEqual(result.structuredContent.outputs, { salute: { text: 'salut bob' } });
  });
  await check('isolation: A\'s workflow that B lacks is an unknown tool for B (-32602)', async () => {
    await rpcError(needs(state.clientB, 'client B').callTool({ name: 'divide', arguments: { d: 1 } }), -32602, /divide/);
  });
  await check('isolation: tenant B using tenant A\'s Mcp-Session-Id (with B\'s key) gets HTTP 404', async () => {
    const sessionA = needs(state.clientA, 'client A').transportOf.sessionId;
    const answer = await mcpHttp('POST', { key: KEY_B, session: sessionA, version: LATEST, message: request('tools/list') });
    assert.equal(answer.status, 404, answer.text);
    const stream = await mcpHttp('GET', { key: KEY_B, session: sessionA, version: LATEST, accept: 'text/event-stream' });
    assert.equal(stream.status, 404, 'GET with A\'s session id');
    const del = await mcpHttp('DELETE', { key: KEY_B, session: sessionA, version: LATEST });
    assert.equal(del.status, 404, 'DELETE with A\'s session id');
    const stillThere = await needs(state.clientA, 'client A').listTools();
    assert.ok(stillThere.tools.length > 0, 'A\'s session must survive');
  });
  await check('isolation: nexus_get_execution of A\'s execution id with B\'s key is a JSON-RPC error', async () => {
    await rpcError(needs(state.clientB, 'client B').callTool({
      name: 'nexus_get_execution', arguments: { executionId: needs(state.greetExecution, 'the greet execution') },
    }), -32602);
  });
  await check('isolation: B reading nexus://executions/<A\'s id> and nexus://workflows/divide are JSON-RPC errors', async () => {
    const client = needs(state.clientB, 'client B');
    await rpcError(client.readResource({ uri: `nexus://executions/${needs(state.greetExecution, 'the greet execution')}` }), -32002);
    await rpcError(client.readResource({ uri: 'nexus://workflows/divide' }), -32002);
  });
}

async function quotaChecks() {
  let hold;
  await check('quota: a workflow tool refused by the concurrentExecutions quota is an isError result, not a JSON-RPC error', async () => {
    const client = needs(state.clientB, 'client B');
    hold = (await restOk(KEY_B, 'POST', '/api/v1/workflows/b-hold/executions', { mode: 'async' }, 202)).executionId;
    // Tenant B's quota (1) reaches workflow-service with the tenant's event: give it a few seconds.
    await eventually(10_000, async () => {
      const result = await client.callTool({ name: 'b-only', arguments: {} });
      assert.equal(result.isError, true, `not refused: ${JSON.stringify(result)}`);
      const text = result.content.map((item) => item.text).join(' ');
      assert.match(text, /concurrentExecutions/);
    });
  });
  await check('quota: once the slot is free again the same call completes', async () => {
    await restOk(KEY_B, 'POST', `/api/v1/executions/${needs(hold, 'the holding execution')}/cancel`, undefined, 200);
    const result = await needs(state.clientB, 'client B').callTool({ name: 'b-only', arguments: {} });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.status, 'completed');
  });
}

async function transportChecks() {
  await check('transport: Origin http://evil.example is 403', async () => {
    const answer = await mcpHttp('POST', { key: KEY_A, origin: 'http://evil.example', message: initializeMessage(LATEST) });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.headers.get('mcp-session-id'), null, 'a refused initialize opened a session');
  });
  await check('transport: Origin http://localhost:3000 is allowed (initialize 200)', async () => {
    const answer = await mcpHttp('POST', { key: KEY_A, origin: 'http://localhost:3000', message: initializeMessage(LATEST) });
    assert.equal(answer.status, 200, answer.text);
    await mcpHttp('DELETE', { key: KEY_A, session: answer.headers.get('mcp-session-id'), version: LATEST });
  });
  await check('transport: MCP-Protocol-Version 1999-01-01 is 400', async () => {
    const { session } = await rawSession(KEY_A);
    const answer = await mcpHttp('POST', { key: KEY_A, session, version: '1999-01-01', message: request('tools/list') });
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /1999-01-01/);
    await mcpHttp('DELETE', { key: KEY_A, session, version: LATEST });
  });
  await check('transport: a request other than initialize without Mcp-Session-Id is 400', async () => {
    const answer = await mcpHttp('POST', { key: KEY_A, version: LATEST, message: request('tools/list') });
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /Mcp-Session-Id/);
  });
  await check('transport: an unknown Mcp-Session-Id is 404', async () => {
    const answer = await mcpHttp('POST', { key: KEY_A, session: 'no-such-session-0000', version: LATEST, message: request('tools/list') });
    assert.equal(answer.status, 404, answer.text);
  });
  await check('transport: DELETE with the session id is 200, after which the id is 404', async () => {
    const { session } = await rawSession(KEY_A);
    const before = await mcpHttp('POST', { key: KEY_A, session, version: LATEST, message: request('tools/list') });
    assert.equal(before.status, 200, 'the session works before DELETE');
    const deleted = await mcpHttp('DELETE', { key: KEY_A, session, version: LATEST });
    assert.equal(deleted.status, 200, deleted.text);
    const after = await mcpHttp('POST', { key: KEY_A, session, version: LATEST, message: request('tools/list') });
    assert.equal(after.status, 404, after.text);
  });
  await check('transport: a POST whose Accept lacks text/event-stream is 406', async () => {
    const answer = await mcpHttp('POST', { key: KEY_A, accept: 'application/json', message: initializeMessage(LATEST) });
    assert.equal(answer.status, 406, answer.text);
  });
  await check('transport: a body over 1 MiB is 413', async () => {
    const { session } = await rawSession(KEY_A);
    const answer = await mcpHttp('POST', {
      key: KEY_A, session, version: LATEST,
      message: request('tools/call', { name: 'greet', arguments: { who: 'x'.repeat(1_100_000) } }),
    });
    assert.equal(answer.status, 413, answer.text.slice(0, 300));
    await mcpHttp('DELETE', { key: KEY_A, session, version: LATEST });
  });
  await check('transport: a body that is not JSON-RPC is 400 with a parse error', async () => {
    const response = await fetch(MCP_URL, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY_A}`, 'Content-Type': 'application/json', Accept: ACCEPT_BOTH },
      body: '{not json',
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error.code, -32700);
  });
}

async function sessionChecks() {
  const sessionHeader = (id) => ({ 'X-Nexus-Session': id });
  await check('sessions: a Nexus session is created over REST (201)', async () => {
    const session = await restOk(KEY_A, 'POST', '/api/v1/sessions', { userId: 'mcp-e2e', data: { cart: ['tea'] } }, 201);
    assert.match(session.id, /^[A-Za-z0-9_-]{22}$/);
    state.session = session.id;
  });
  await check('sessions: an unknown X-Nexus-Session on the MCP transport is refused with HTTP 404 at connect', async () => {
    let error;
    try {
      await connect(KEY_A, { headers: sessionHeader('AAAAAAAAAAAAAAAAAAAAAA') });
    } catch (e) {
      error = e;
    }
    assert.ok(error, 'the client connected');
    assert.equal(error.code, 404, `${error.constructor.name}: ${error.message}`);
  });
  await check('sessions: a run over REST with X-Nexus-Session completes in the session, channel api', async () => {
    const id = needs(state.session, 'the session');
    const outcome = await restOk(KEY_A, 'POST', '/api/v1/workflows/remember/executions', { inputs: { who: 'via-api' } }, 200, sessionHeader(id));
    assert.equal(outcome.status, 'completed');
    const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${outcome.executionId}`, undefined, 200);
    assert.equal(execution.channel, 'api');
    assert.equal(execution.sessionId, id);
    state.apiExecution = outcome.executionId;
  });
  await check('sessions: a run with the CLI (--session) completes in the session, channel cli', async () => {
    const id = needs(state.session, 'the session');
    const home = mkdtempSync(join(tmpdir(), 'nexus-e2e-home-'));
    try {
      const run = spawnSync(NEXUS_CLI, ['workflow', 'run', 'remember', '--input', '{"who": "via-cli"}', '--session', id, '--output', 'json'], {
        env: { ...process.env, HOME: home, NEXUS_URL: GATEWAY, NEXUS_API_KEY: KEY_A },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 0, `nexus exited ${run.status}: ${run.stderr || run.error}`);
      const outcome = JSON.parse(run.stdout);
      assert.equal(outcome.status, 'completed');
      const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${outcome.executionId}`, undefined, 200);
      assert.equal(execution.channel, 'cli');
      assert.equal(execution.sessionId, id);
      state.cliExecution = outcome.executionId;
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
  await check('sessions: a run over MCP with X-Nexus-Session on the transport completes in the session, channel mcp', async () => {
    const id = needs(state.session, 'the session');
    state.sessionClient = await connect(KEY_A, { headers: sessionHeader(id) });
    const result = await state.sessionClient.callTool({ name: 'remember', arguments: { who: 'via-mcp' } });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.deepEqual(result.structuredContent.outputs, { remember: { cart: ['tea'], last: 'via-mcp' } });
    const execution = await restOk(KEY_A, 'GET', `/api/v1/executions/${result.structuredContent.executionId}`, undefined, 200);
    assert.equal(execution.channel, 'mcp');
    assert.equal(execution.sessionId, id);
    state.mcpExecution = result.structuredContent.executionId;
  });
  await check('sessions: nexus_session_get without arguments reads the X-Nexus-Session session', async () => {
    const id = needs(state.session, 'the session');
    const result = await needs(state.sessionClient, 'the session client').callTool({ name: 'nexus_session_get', arguments: {} });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.id, id);
    assert.deepEqual(result.structuredContent.data, { cart: ['tea'], last: 'via-mcp' });
    assert.ok(result.structuredContent.channels.includes('mcp'), `channels ${result.structuredContent.channels}`);
  });
  await check('sessions: nexus_session_update {data: {k: 1}} merges into the session', async () => {
    const id = needs(state.session, 'the session');
    const result = await needs(state.sessionClient, 'the session client').callTool({ name: 'nexus_session_update', arguments: { data: { k: 1 } } });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.id, id);
    assert.deepEqual(result.structuredContent.data, { cart: ['tea'], last: 'via-mcp', k: 1 });
  });
  await check('sessions: nexus_session_get with an explicit sessionId works without the header', async () => {
    const id = needs(state.session, 'the session');
    const result = await needs(state.clientA, 'client A').callTool({ name: 'nexus_session_get', arguments: { sessionId: id } });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(result.structuredContent.id, id);
    assert.equal(result.structuredContent.data.k, 1);
  });
  await check('sessions: nexus_session_get with neither header nor sessionId is JSON-RPC error -32602', async () => {
    await rpcError(needs(state.clientA, 'client A').callTool({ name: 'nexus_session_get', arguments: {} }), -32602, /sessionId/);
  });
  await check('sessions: tenant B cannot read A\'s session with nexus_session_get (JSON-RPC error)', async () => {
    await rpcError(needs(state.clientB, 'client B').callTool({ name: 'nexus_session_get', arguments: { sessionId: needs(state.session, 'the session') } }), -32602);
  });
  await check('sessions: GET /api/v1/sessions/{id} lists channels api, cli and mcp and the merged data', async () => {
    const session = await restOk(KEY_A, 'GET', `/api/v1/sessions/${needs(state.session, 'the session')}`, undefined, 200);
    assert.deepEqual([...session.channels].sort(), ['api', 'cli', 'mcp']);
    assert.deepEqual(session.data, { cart: ['tea'], last: 'via-mcp', k: 1 });
  });
  await check('sessions: GET /api/v1/sessions/{id}/executions lists the three runs with their channels (within 15 s)', async () => {
    const id = needs(state.session, 'the session');
    const expected = [
      [needs(state.apiExecution, 'the api run'), 'api'],
      [needs(state.cliExecution, 'the cli run'), 'cli'],
      [needs(state.mcpExecution, 'the mcp run'), 'mcp'],
    ].map(([execution, channel]) => `${execution} ${channel} completed`).sort();
    await eventually(15_000, async () => {
      const list = await restOk(KEY_A, 'GET', `/api/v1/sessions/${id}/executions`, undefined, 200);
      assert.deepEqual(list.items.map((item) => `${item.id} ${item.channel} ${item.status}`).sort(), expected);
    });
  });
}

async function listChangedChecks() {
  let notifications = 0;
  // A changed tool is removed and added again (two notifications a few ms apart): wait for the first within 10 s,
  // then until 300 ms pass without another, so that the next tools/list sees the end state.
  const notified = async (before) => {
    await eventually(10_000, async () => assert.ok(notifications > before, 'no notifications/tools/list_changed within 10 s'));
    for (let seen = -1; seen !== notifications;) {
      seen = notifications;
      await sleep(300);
    }
  };
  await check('list_changed: a client with a ToolListChanged handler opens the GET stream (200 text/event-stream)', async () => {
    state.watcher = await connect(KEY_A, { onToolListChanged: () => { notifications++; } });
    const opened = await Promise.race([state.watcher.listening, sleep(10_000).then(() => null)]);
    assert.ok(opened, 'the SDK opened no GET stream within 10 s');
    assert.equal(opened.status, 200);
    assert.match(opened.contentType ?? '', /^text\/event-stream/);
    await sleep(300); // the server registers the stream once its headers are out
  });
  await check('list_changed: PUT of a workflow with a new description notifies within 10 s', async () => {
    needs(state.watcher, 'the watching client');
    const before = notifications;
    await restOk(KEY_A, 'PUT', '/api/v1/workflows/greet', { ...WORKFLOWS_A[0], description: 'Greets someone, version 2' }, 200);
    await notified(before);
    state.updatedGreet = true;
  });
  await check('list_changed: a fresh tools/list then shows the new description', async () => {
    needs(state.updatedGreet, 'the PUT');
    const { tools } = await needs(state.watcher, 'the watching client').listTools();
    const greet = tools.find((tool) => tool.name === 'greet');
    assert.ok(greet, `greet is missing from tools/list right after list_changed: ${toolNames(tools)}`);
    assert.equal(greet.description, 'Greets someone, version 2');
  });
  await check('list_changed: POST of a new workflow notifies, and tools/list has its tool', async () => {
    const before = notifications;
    await restOk(KEY_A, 'POST', '/api/v1/workflows', {
      name: 'newcomer', description: 'Registered while connected',
      nodes: [{ id: 'one', type: 'transform', config: { expression: '"new"' } }],
    }, 201);
    await notified(before);
    const { tools } = await state.watcher.listTools();
    assert.equal(tools.find((tool) => tool.name === 'newcomer')?.description, 'Registered while connected');
  });
  await check('list_changed: the new tool runs at once', async () => {
    const result = await needs(state.watcher, 'the watching client').callTool({ name: 'newcomer', arguments: {} });
    assert.deepEqual(result.structuredContent.outputs, { one: 'new' });
  });
  await check('list_changed: DELETE of a workflow notifies, and its tool is gone (calling it is -32602)', async () => {
    const before = notifications;
    await restOk(KEY_A, 'DELETE', '/api/v1/workflows/newcomer', undefined, 204);
    await notified(before);
    const { tools } = await state.watcher.listTools();
    assert.ok(!tools.some((tool) => tool.name === 'newcomer'), 'newcomer is still listed');
    await rpcError(state.watcher.callTool({ name: 'newcomer', arguments: {} }), -32602, /newcomer/);
  });
  await check('list_changed: tenant B\'s client saw none of A\'s changes in its tools', async () => {
    const { tools } = await needs(state.clientB, 'client B').listTools();
    assert.equal(tools.find((tool) => tool.name === 'greet')?.description, 'Salutes, the way tenant B does it');
    assert.ok(!tools.some((tool) => tool.name === 'newcomer'));
  });
}

async function metricChecks() {
  const delta = (before, after, name, labels) => metricSum(after, name, labels) - metricSum(before, name, labels);
  let gateway;
  let workflow;
  await check('metrics: the gateway counts /mcp requests under channel="mcp", route="/mcp"', async () => {
    gateway = await scrape(`${GATEWAY}/q/metrics`);
    const before = needs(state.gatewayMetricsBefore, 'the metrics read at the start');
    const mcp = delta(before, gateway, 'nexus_channel_request_duration_seconds_count', { channel: 'mcp', route: '/mcp', method: 'POST' });
    assert.ok(mcp >= 30, `channel="mcp" route="/mcp" POST count grew by ${mcp}, expected at least 30`);
    const refused = delta(before, gateway, 'nexus_channel_request_duration_seconds_count', { channel: 'mcp', route: '/mcp', status: '401' });
    assert.ok(refused >= 2, `channel="mcp" status="401" grew by ${refused}`);
    assert.ok(delta(before, gateway, 'nexus_channel_request_duration_seconds_count', { channel: 'mcp', route: '/mcp', method: 'DELETE', status: '200' }) >= 1,
      'no DELETE 200 counted');
  });
  await check('metrics: the gateway counts the session runs under channel="api" and channel="cli"', async () => {
    const before = needs(state.gatewayMetricsBefore, 'the metrics read at the start');
    const route = '/api/v1/workflows/{name}/executions';
    for (const channel of ['api', 'cli']) {
      const grew = delta(before, needs(gateway, 'the gateway metrics'), 'nexus_channel_request_duration_seconds_count', { channel, route, method: 'POST', status: '200' });
      assert.ok(grew >= 1, `channel="${channel}" route="${route}" POST 200 grew by ${grew}`);
    }
  });
  await check('metrics: workflow-service counts MCP executions in nexus_workflow_executions_total{channel="mcp"}', async () => {
    workflow = await eventually(5_000, async () => {
      const text = await scrape(WORKFLOW_METRICS);
      const before = needs(state.workflowMetricsBefore, 'the metrics read at the start');
      const grew = (status) => delta(before, text, 'nexus_workflow_executions_total', { channel: 'mcp', status });
      // greet, divide (4), slow x2, newcomer, remember, B's greet completed; divide (0) failed; sleeper cancelled.
      assert.ok(grew('completed') >= 7, `channel="mcp" status="completed" grew by ${grew('completed')}, expected at least 7`);
      assert.ok(grew('failed') >= 1, `channel="mcp" status="failed" grew by ${grew('failed')}`);
      assert.ok(grew('cancelled') >= 1, `channel="mcp" status="cancelled" grew by ${grew('cancelled')}`);
      return text;
    });
  });
  await check('metrics: workflow-service counts the api and cli runs under their channels', async () => {
    const before = needs(state.workflowMetricsBefore, 'the metrics read at the start');
    for (const channel of ['api', 'cli']) {
      const grew = delta(before, needs(workflow, 'the workflow-service metrics'), 'nexus_workflow_executions_total', { channel, status: 'completed' });
      assert.ok(grew >= 1, `channel="${channel}" status="completed" grew by ${grew}`);
    }
  });
}

async function tearDown() {
  await check('teardown: every SDK client ends its MCP session (DELETE) and closes', async () => {
    for (const client of [...clients]) await disconnect(client);
  });
  if (state.session) {
    await check('teardown: the Nexus session is closed (204)', async () => {
      await restOk(KEY_A, 'DELETE', `/api/v1/sessions/${state.session}`, undefined, 204);
    });
  }
}

// ----------------------------------------------------------------------------------------------------------- main

async function awaitGateway() {
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(`${GATEWAY}/health`)).status === 200) return;
    } catch {
      // not up (yet)
    }
    await sleep(1000);
  }
}

await awaitGateway();
for (const group of [setUp, authChecks, initializeChecks, toolListChecks, toolCallChecks, progressChecks, cancelChecks,
  platformToolChecks, resourceChecks, roleChecks, isolationChecks, quotaChecks, transportChecks, sessionChecks, listChangedChecks,
  metricChecks]) {
  await group();
}
await tearDown();
for (const client of clients) await client.close().catch(() => {});
console.log(`# e2e.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
