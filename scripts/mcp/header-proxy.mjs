// A loopback HTTP proxy that adds an Authorization header to every request it forwards.
//
// Why: the conformance suite (0.1.16) connects with `new StreamableHTTPClientTransport(new URL(url))` and, in some
// scenarios, plain fetch(); it has no option or variable for extra headers, so it cannot reach a server that wants
// `Authorization: Bearer <key>` (the Nexus gateway). This proxy sits between them and changes nothing else:
// method, path, body and the other headers pass through, responses (SSE streams included) are piped back as they
// come. Host and Origin are rewritten only when they name the proxy itself, so that the server sees a request to
// its own address; any other value (the suite's dns-rebinding scenario sends Host/Origin evil.example.com) reaches
// the server unchanged, which keeps that scenario meaningful.
//
//   MCP_AUTHORIZATION='Bearer <key>' node header-proxy.mjs TARGET_ORIGIN FIRST_PORT-LAST_PORT
//
// Listens on the first free port of the range on 127.0.0.1 and prints `listening http://127.0.0.1:PORT` once ready.
// The key comes from the environment, never argv, so that it does not show in `ps`.
import http from 'node:http';

const [target, range] = process.argv.slice(2);
const authorization = process.env.MCP_AUTHORIZATION;
if (!target || !/^\d+-\d+$/.test(range ?? '') || !authorization) {
  console.error('usage: MCP_AUTHORIZATION=... node header-proxy.mjs http://HOST:PORT FIRST-LAST');
  process.exit(2);
}
const upstream = new URL(target);
const agent = new http.Agent({ keepAlive: true });
let self = ''; // host:port of this proxy, set once listening

const server = http.createServer((req, res) => {
  const headers = { ...req.headers, authorization };
  if (headers.host === self) headers.host = upstream.host;
  if (headers.origin === `http://${self}`) headers.origin = upstream.origin;
  const out = http.request(
    { agent, host: upstream.hostname, port: upstream.port || 80, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`header-proxy: ${err.message}\n`);
  });
  // A client that stops reading an SSE stream closes its side: close ours to the server too.
  res.on('close', () => res.writableFinished || out.destroy());
  req.pipe(out);
});

const [first, last] = range.split('-').map(Number);
function listen(port) {
  if (port > last) {
    console.error(`header-proxy: no free port in ${range}`);
    process.exit(1);
  }
  const onListening = () => {
    server.off('error', onError);
    self = `127.0.0.1:${port}`;
    console.log(`listening http://${self}`);
  };
  const onError = (err) => {
    server.off('listening', onListening);
    if (err.code !== 'EADDRINUSE') throw err;
    listen(port + 1);
  };
  server.once('listening', onListening).once('error', onError).listen(port, '127.0.0.1');
}
listen(first);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
