// MCP tools/call load driver on the official TypeScript client (Client + StreamableHTTPClientTransport), so that
// what is measured is what a real MCP client does per call: a JSON-RPC POST in its session, the answer as JSON or
// SSE, the result parsed and checked against the protocol's schema.
//
//   node bench.mjs --url URL --tool NAME|@ping [--args JSON] [--header 'Name: value']... [--concurrency C]
//                  [--duration S] [--warmup S] [--threads T]
// Each option may come from the environment instead: MCP_URL, MCP_TOOL, MCP_ARGS, MCP_AUTHORIZATION (the value of
// an Authorization header: keeps a key out of argv and `ps`), CONCURRENCY (1), DURATION (10), WARMUP (3),
// THREADS (1).
//
// Method: C clients, each its own session (initialize + notifications/initialized), each calling the tool
// back-to-back with no pause (closed loop: C calls in flight at most, so a stall delays the calls behind it
// instead of showing in p99: coordinated omission, as with wrk). One check call per session before the clock
// starts: a tool that is missing or answers isError stops the run (exit 1) rather than measuring errors. Then
// WARMUP seconds unmeasured and DURATION seconds measured; a call counts when it starts and ends inside the
// measured window. Printed: one JSON line, calls_per_s (successful calls only), p50_ms and p99_ms (nearest rank,
// successful calls), errors (thrown calls and isError results), driver_cpu_ms_per_call.
//
// The client is not free: about 1 ms of CPU per call on the 2-core development machine (fetch, web streams, SSE
// parsing, syscalls), so one event loop tops out near 1,000 calls/s. --threads T spreads the sessions over T worker
// threads for a machine with cores to spare; on 2 cores, where the server needs the other one, 2 threads were
// slower than 1 (server-everything, C=8: 263 against 306 calls/s, 2.5 against 2.0 ms of driver CPU per call), hence
// the default of 1. driver_cpu_ms_per_call (all threads) says how much of the machine the driver took: when
// calls/s x that is near 1,000 ms per second per thread, the driver was the ceiling, not the server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const fail = (message) => {
  console.error(`bench.mjs: ${message}`);
  process.exit(1);
};
const now = () => performance.timeOrigin + performance.now(); // comparable across threads

function options() {
  const { values: opt } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.MCP_URL },
      tool: { type: 'string', default: process.env.MCP_TOOL },
      args: { type: 'string', default: process.env.MCP_ARGS ?? '{}' },
      header: { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: process.env.CONCURRENCY ?? '1' },
      duration: { type: 'string', default: process.env.DURATION ?? '10' },
      warmup: { type: 'string', default: process.env.WARMUP ?? '3' },
      threads: { type: 'string', default: process.env.THREADS },
    },
  });
  if (!opt.url || !opt.tool) fail('--url and --tool (or MCP_URL and MCP_TOOL) are required');
  const o = {
    url: opt.url,
    tool: opt.tool,
    concurrency: Number(opt.concurrency),
    duration: Number(opt.duration),
    warmup: Number(opt.warmup),
    headers: {},
  };
  o.threads = Math.min(o.concurrency, Number(opt.threads ?? 1));
  if (!(o.concurrency >= 1 && o.duration > 0 && o.warmup >= 0 && o.threads >= 1)) {
    fail('wants --concurrency >= 1, --duration > 0, --warmup >= 0, --threads >= 1');
  }
  try {
    o.args = JSON.parse(opt.args);
  } catch (e) {
    fail(`--args is not JSON: ${e.message}`);
  }
  for (const h of opt.header) {
    const i = h.indexOf(':');
    if (i < 1) fail(`--header wants 'Name: value', got '${h}'`);
    o.headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  if (process.env.MCP_AUTHORIZATION && !Object.keys(o.headers).some((k) => k.toLowerCase() === 'authorization')) {
    o.headers.Authorization = process.env.MCP_AUTHORIZATION;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------- worker thread
// Opens its share of the sessions, says ready, waits for the window, calls until its end, closes the sessions.
async function runWorker({ o, sessions: count }) {
  // '@ping' measures the protocol round trip alone (MCP ping): what a server's transport and session handling cost.
  const call = o.tool === '@ping'
    ? async (client) => { await client.ping({ timeout: 30_000 }); return { isError: false }; }
    : (client) => client.callTool({ name: o.tool, arguments: o.args }, undefined, { timeout: 30_000 });
  async function open() {
    const transport = new StreamableHTTPClientTransport(new URL(o.url), { requestInit: { headers: o.headers } });
    const client = new Client({ name: 'nexus-mcp-bench', version: '1.0.0' });
    client.onerror = () => {}; // e.g. a server without the optional GET stream: not a call error
    await client.connect(transport);
    const result = await call(client);
    if (result.isError) throw new Error(`tool ${o.tool} answered isError: ${JSON.stringify(result.content)}`);
    return { client, transport };
  }
  let sessions;
  try {
    sessions = await Promise.all(Array.from({ length: count }, open));
  } catch (e) {
    parentPort.postMessage({ error: `setting up a session at ${o.url}: ${e.message}` });
    return;
  }
  const { start, end } = await new Promise((resolve) => {
    parentPort.once('message', resolve);
    parentPort.postMessage({ ready: true });
  });
  const latencies = [];
  let errors = 0;
  let firstError;
  await Promise.all(
    sessions.map(async ({ client }) => {
      for (;;) {
        const t0 = now();
        if (t0 >= end) return;
        let ok = false;
        try {
          ok = !(await call(client)).isError;
          if (!ok) firstError ??= 'isError result';
        } catch (e) {
          firstError ??= e.message;
        }
        const t1 = now();
        if (t0 < start || t1 > end) continue;
        if (ok) latencies.push(t1 - t0);
        else errors++;
      }
    }),
  );
  // Sessions end with DELETE (servers keep per-session state); a server answering 405 is fine for the SDK.
  await Promise.allSettled(sessions.map(({ transport }) => transport.terminateSession()));
  await Promise.allSettled(sessions.map(({ client }) => client.close()));
  parentPort.postMessage({ latencies, errors, firstError });
}

// ---------------------------------------------------------------------------------------------- main thread
async function main() {
  const o = options();
  const workers = Array.from({ length: o.threads }, (_, i) => {
    const sessions = Math.floor(o.concurrency / o.threads) + (i < o.concurrency % o.threads ? 1 : 0);
    return new Worker(new URL(import.meta.url), { workerData: { o, sessions } });
  });
  const next = (w) =>
    new Promise((resolve, reject) => {
      w.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      w.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
  } catch (e) {
    fail(e.message);
  }
  const start = now() + o.warmup * 1000;
  const end = start + o.duration * 1000;
  let cpu0;
  setTimeout(() => (cpu0 = process.cpuUsage()), Math.max(0, start - now()));
  const done = workers.map(next);
  for (const w of workers) w.postMessage({ start, end });
  const results = await Promise.all(done);
  const cpu = process.cpuUsage(cpu0); // all threads; includes the few ms of the last calls after the window

  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const firstError = results.map((r) => r.firstError).find(Boolean);
  const rank = (q) => (latencies.length ? latencies[Math.max(0, Math.ceil(q * latencies.length) - 1)] : null);
  const round = (v, d = 3) => (v == null ? null : Number(v.toFixed(d)));
  const calls = latencies.length;
  console.log(
    JSON.stringify({
      url: o.url,
      tool: o.tool,
      concurrency: o.concurrency,
      threads: o.threads,
      duration_s: o.duration,
      warmup_s: o.warmup,
      calls,
      calls_per_s: round(calls / o.duration, 1),
      p50_ms: round(rank(0.5)),
      p99_ms: round(rank(0.99)),
      errors,
      ...(firstError && { first_error: String(firstError).slice(0, 200) }),
      driver_cpu_ms_per_call: calls + errors ? round((cpu.user + cpu.system) / 1000 / (calls + errors)) : null,
      node: process.version,
    }),
  );
  process.exit(0);
}

if (isMainThread) await main();
else await runWorker(workerData);
