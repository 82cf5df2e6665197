// A node:test reporter in the style of scripts/suites: one "ok - name" / "not ok - name" line per top-level test, the
// failure's message as "#" comments, and the closing "console: N passed, N failed" line.
export default async function* suiteReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0 && /^(tests|pass|fail|duration)/.test(event.data.message)) continue;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.nesting !== 0 || event.data.details?.type === 'suite') continue;
    if (event.type === 'test:pass') {
      passed++;
      yield `ok - ${event.data.name}\n`;
    } else {
      failed++;
      yield `not ok - ${event.data.name}\n`;
      const error = event.data.details?.error;
      const message = String(error?.cause?.message || error?.message || error || 'failed');
      for (const line of message.split('\n').slice(0, 12)) yield `#   ${line}\n`;
    }
  }
  yield `console: ${passed} passed, ${failed} failed\n`;
}
