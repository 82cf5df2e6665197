// The console in real Chromium against a running stack (issue 19): NEXUS_GATEWAY_URL, NEXUS_ADMIN_KEY.
// The tests run in order and build on each other (one tenant's workflow, then its executions, then isolation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, ADMIN_KEY, call, expectCall, tenantWithKey, unique } from './stack.mjs';
import { accessibility, launch, screenshot } from './browser.mjs';

const T = { timeout: 90_000 };
const price = unique('console-price');
const approval = unique('console-approval');
let first;
let second;
let browser;
let page;
const seen = { executionId: null, waitingId: null };

const priceDefinition = (nodeType) => ({
  name: price,
  description: 'Prices an order; pauses on the way so the live view has something to show',
  inputSchema: {
    type: 'object',
    properties: { n: { type: 'integer', description: 'items ordered' }, note: { type: 'string' } },
    required: ['n'],
  },
  nodes: [
    { id: 'total', type: 'transform', config: { expression: "{'total': inputs.n * 3}" } },
    { id: 'pause', type: 'delay', config: { durationMs: 2500 } },
    { id: 'big', type: nodeType, config: { expression: 'nodes.total.total > 100' } },
    { id: 'announce', type: 'transform', config: { expression: "'big order'" } },
    { id: 'quiet', type: 'transform', config: { expression: "'small order'" } },
  ],
  edges: [
    { from: 'total', to: 'pause' },
    { from: 'pause', to: 'big' },
    { from: 'big', to: 'announce', when: 'nodes.big' },
    { from: 'big', to: 'quiet', when: '!nodes.big' },
  ],
});

const approvalDefinition = {
  name: approval,
  description: 'Waits for a human to approve',
  nodes: [
    { id: 'ask', type: 'wait', config: { signal: 'approve' } },
    { id: 'done', type: 'transform', config: { expression: "{'approved': nodes.ask}" } },
  ],
  edges: [{ from: 'ask', to: 'done' }],
};

before(async () => {
  first = await tenantWithKey('console-first', 'admin');
  second = await tenantWithKey('console-second', 'admin');
  await expectCall(first.key, 'POST', '/workflows', approvalDefinition, 201);
  browser = await launch();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
});

async function signIn(key) {
  await page.goto(CONSOLE);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.topbar').waitFor();
}

const go = async (hash) => {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
};

/** Starts `workflow` from its generated form (any inputs filled by `fill`) and answers the new execution's id. */
async function startFromForm(workflow, fill) {
  await go(`#/workflows/${workflow}/run`);
  await page.getByRole('heading', { name: `Start ${workflow}` }).waitFor();
  await fill?.();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForURL(/#\/executions\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop();
}

const executionStatus = () => page.locator('.execution-status').getAttribute('data-status');

/**
 * Waits up to 10 s for `locator` to match exactly `n` elements, then asserts it: a list re-renders when its answer
 * arrives, and the old list may still be on screen right after a click.
 */
async function expectCount(locator, n, message) {
  const deadline = Date.now() + 10_000;
  let count = await locator.count();
  while (count !== n && Date.now() < deadline) {
    await page.waitForTimeout(100);
    count = await locator.count();
  }
  assert.equal(count, n, message);
}

test('the console is served with its own-origin CSP, and a key signs in by keyboard (kept in sessionStorage only)', T, async () => {
  const response = await page.goto(CONSOLE);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-security-policy'], /default-src 'self'; script-src 'self'/);
  await screenshot(page, '01-sign-in');
  // Keyboard only: Tab reaches the key field, with a visible focus ring, and Enter signs in.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({ id: document.activeElement.id, outline: getComputedStyle(document.activeElement).outlineStyle }));
  assert.deepEqual(focused, { id: 'api-key', outline: 'solid' });
  await page.keyboard.type(first.key);
  await page.keyboard.press('Enter');
  await page.locator('header.topbar').waitFor();
  await page.getByRole('heading', { name: 'Workflows' }).waitFor();
  const storage = await page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)),
    local: localStorage.length,
    cookies: document.cookie,
  }));
  assert.deepEqual(Object.values(storage.session), [first.key]);
  assert.equal(storage.local, 0);
  assert.equal(storage.cookies, '');
  assert.match(await page.locator('.who').textContent(), /admin/);
});

test('a workflow registered from JSON first shows the server’s 422 at the failing field', T, async () => {
  await go('#/workflows/new');
  const text = JSON.stringify(priceDefinition('teleport'), null, 2);
  await page.getByLabel('Definition (JSON)').fill(text);
  await page.getByRole('button', { name: 'Register workflow' }).click();
  const error = page.locator('.field-errors li[data-field="nodes[2].type"]');
  await error.waitFor();
  const expectedLine = text.split('\n').findIndex((line) => line.includes('"teleport"')) + 1;
  assert.equal(Number(await error.getAttribute('data-line')), expectedLine);
  assert.match(await error.textContent(), /teleport/);
  assert.equal(await page.locator(`.json-gutter [data-line="${expectedLine}"]`).getAttribute('class'), 'gutter-error');
  // The line button puts the caret on the failing line.
  await error.getByRole('button').click();
  const selected = await page.getByLabel('Definition (JSON)').evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert.match(selected, /"type": "teleport"/);
  await screenshot(page, '02-workflow-editor-422');
  assert.equal((await call(first.key, 'GET', `/workflows/${price}`)).status, 404, 'nothing is stored');

  await page.getByLabel('Definition (JSON)').fill(JSON.stringify(priceDefinition('condition'), null, 2));
  await page.getByRole('button', { name: 'Register workflow' }).click();
  await page.waitForURL(new RegExp(`#/workflows/${price}$`));
  await page.locator('.dag-node').first().waitFor();
  await expectCount(page.locator('.dag-node'), 5);
  await expectCount(page.locator('.dag-node.type-delay[data-node="pause"]'), 1);
  const labels = await page.locator('.dag-when').evaluateAll((els) => els.map((el) => el.dataset.when));
  assert.deepEqual(labels.sort(), ['!nodes.big', 'nodes.big']);
  await screenshot(page, '03-workflow-graph');
});

test('the workflows list finds it by search', T, async () => {
  await go('#/workflows');
  await page.getByLabel('Search name or description').fill('pauses on the way');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`tr[data-workflow="${price}"]`).waitFor();
  await expectCount(page.locator('tr[data-workflow]'), 1);
  await go('#/workflows');
  await page.locator(`tr[data-workflow="${approval}"]`).waitFor();
  await screenshot(page, '04-workflows');
});

test('editing the JSON saves a new version, shown in the history and the diff between versions', T, async () => {
  await go(`#/workflows/${price}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  const editor = page.getByLabel('Definition (JSON)');
  await page.waitForFunction(() => document.querySelector('#definition')?.value.includes('"durationMs": 2500'));
  const text = await editor.inputValue();
  assert.ok(!text.includes('latestVersion'), 'the editor holds the definition only, not the version fields');
  await editor.fill(text.replace('"durationMs": 2500', '"durationMs": 2000'));
  await page.getByRole('button', { name: 'Save new version' }).click();
  await page.waitForURL(new RegExp(`#/workflows/${price}$`));
  await page.getByRole('heading', { name: `${price} v2` }).waitFor();
  await go(`#/workflows/${price}?tab=history`);
  await page.locator('tr[data-version="2"]').waitFor();
  await expectCount(page.locator('tr[data-version]'), 2);
  await page.getByRole('tab', { name: 'Compare versions' }).click();
  await page.locator('.diff-remove').first().waitFor();
  assert.match(await page.locator('.diff-remove').first().textContent(), /"durationMs": 2500/);
  assert.match(await page.locator('.diff-add').first().textContent(), /"durationMs": 2000/);
  await screenshot(page, '05-version-diff');
  // The tabs pattern's keys: Right on the last tab wraps to the first, which is shown and takes the focus; End goes
  // back to the last. Only the selected tab is a tab stop.
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-graph');
  assert.equal(await page.getByRole('tab', { name: 'Graph' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByRole('tab', { name: 'Compare versions' }).getAttribute('tabindex'), '-1');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.id === 'tab-diff');
  await page.locator('.diff-remove').first().waitFor();
});

test('an execution started from the generated form completes in the live view, its nodes changing colour', T, async () => {
  let id;
  id = await startFromForm(price, async () => {
    await screenshot(page, '06-start-form');
    const n = page.getByRole('spinbutton', { name: /^n \(required\)/ });
    assert.equal(await n.getAttribute('type'), 'number');
    // Without the required input, the server's 400 names inputs.n and the form shows it at that field.
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('[data-field="inputs.n"]').waitFor();
    assert.match(await page.locator('[data-field="inputs.n"]').textContent(), /required/);
    assert.equal(await n.getAttribute('aria-invalid'), 'true');
    await n.fill('50');
    await page.getByRole('textbox', { name: 'note' }).fill('from the browser test');
  });
  seen.executionId = id;
  const node = page.locator('.dag-node[data-node="pause"]');
  await node.waitFor();
  const fillOf = () => node.locator('rect').evaluate((rect) => getComputedStyle(rect).fill);
  // Before the end: the delay is not completed yet (pending or parked as waiting).
  const early = await node.getAttribute('data-status');
  const earlyFill = await fillOf();
  assert.ok(['pending', 'waiting'].includes(early), `pause was ${early} right after the start`);
  await page.locator('.execution-status[data-status="completed"]').waitFor({ timeout: 30_000 });
  assert.equal(await node.getAttribute('data-status'), 'completed');
  assert.notEqual(await fillOf(), earlyFill, 'the node is filled by its status');
  assert.equal(await page.locator('.dag-node[data-node="announce"]').getAttribute('data-status'), 'completed');
  assert.equal(await page.locator('.dag-node[data-node="quiet"]').getAttribute('data-status'), 'skipped');
  assert.match(await page.locator('[data-step="announce"]').first().textContent(), /announce/);
  await expectCount(page.locator('.timeline g[data-step]'), 5);
  assert.match(await page.locator('pre[aria-label="Outputs"]').textContent(), /big order/);
  await screenshot(page, '07-execution-completed');
  const record = await expectCall(first.key, 'GET', `/executions/${id}`, undefined, 200);
  assert.equal(record.inputs.n, 50);
  assert.equal(record.inputs.note, 'from the browser test');
});

test('a waiting execution is cancelled with the cancel button', T, async () => {
  const id = await startFromForm(approval);
  seen.waitingId = id;
  await page.locator('.execution-status[data-status="waiting"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.dag-node[data-node="ask"]').getAttribute('data-status'), 'waiting');
  await screenshot(page, '08-execution-waiting');
  await page.getByRole('button', { name: 'Cancel execution' }).click();
  await page.locator('.execution-status[data-status="cancelled"]').waitFor();
  assert.equal((await call(first.key, 'GET', `/executions/${id}`)).body.status, 'cancelled');
});

test('a signal sent from the live view resumes a waiting execution to completion', T, async () => {
  await startFromForm(approval);
  await page.locator('.execution-status[data-status="waiting"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByLabel('Signal', { exact: true }).inputValue(), 'approve', 'offered from the wait node');
  await page.getByLabel('Payload (JSON, optional)').fill('{"by": "ada"}');
  await page.getByRole('button', { name: 'Send signal' }).click();
  await page.locator('.execution-status[data-status="completed"]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('pre[aria-label="Outputs"]').textContent(), /"by": "ada"/);
});

test('the executions list filters by workflow and status', T, async () => {
  await go(`#/executions?workflow=${approval}`);
  await page.locator('tr[data-execution]').first().waitFor();
  await expectCount(page.locator('tr[data-execution]'), 2);
  await page.getByLabel('Status').selectOption('cancelled');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/status=cancelled/);
  // The unfiltered list shows the cancelled execution too: wait for the filtered answer itself (one row), not for a
  // row that may still be the old list's.
  await expectCount(page.locator('tr[data-execution]'), 1);
  assert.equal(await page.locator('tr[data-execution]').getAttribute('data-execution'), seen.waitingId);
  await go('#/executions');
  await page.locator(`tr[data-execution="${seen.executionId}"]`).waitFor();
  await screenshot(page, '09-executions');
});

test('sessions list and view show channels, data and executions', T, async () => {
  const session = await expectCall(first.key, 'POST', '/sessions', { userId: 'ada', data: { cart: ['tea'] } }, 201);
  await go('#/sessions');
  await page.locator(`tr[data-session="${session.id}"]`).waitFor();
  await screenshot(page, '10-sessions');
  await page.locator(`tr[data-session="${session.id}"] a`).click();
  await page.getByRole('heading', { name: /Session/ }).waitFor();
  assert.match(await page.locator('pre[aria-label="Session data"]').textContent(), /"tea"/);
  await screenshot(page, '11-session');
});

test('the marketplace finds a published item, shows its page with reviews, and installs it', T, async () => {
  const item = await expectCall(
    first.key,
    'POST',
    '/marketplace/items',
    { workflow: price, name: unique('Console pricing'), summary: 'Prices orders for the console test', categories: ['finance'], tags: ['console-test'], license: 'MIT' },
    201,
  );
  await expectCall(second.key, 'POST', `/marketplace/items/${item.id}/reviews`, { rating: 4, comment: 'Works for us' }, 201);
  await go('#/marketplace');
  await page.getByLabel('Search').fill('console test');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator(`li[data-item="${item.id}"]`).waitFor();
  await screenshot(page, '12-marketplace');
  await page.locator(`li[data-item="${item.id}"] a`).click();
  await page.getByRole('heading', { name: item.name }).waitFor();
  await page.getByText('Works for us').waitFor();
  await screenshot(page, '13-marketplace-item');
  // The publisher's developers may install their own item too, under another name.
  await page.getByLabel('Install as workflow').fill(`${price}-copy`);
  await page.getByRole('button', { name: 'Install' }).click();
  await page.locator('[role="status"] .badge.status-completed').waitFor({ timeout: 30_000 });
  assert.equal((await call(first.key, 'GET', `/workflows/${price}-copy`)).status, 200);
});

test('the tenant page charts usage against quotas and issues a key shown once, then revokes it', T, async () => {
  await go('#/tenant');
  await page.locator('.usage-chart g[data-quota="workflows"]').waitFor();
  assert.match(await page.locator('.usage-chart g[data-quota="workflows"]').textContent(), /\/ 1,000/);
  await page.getByLabel('Name').fill('ci-from-console');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Issue key' }).click();
  const shown = await page.getByLabel('New key').inputValue();
  assert.match(shown, /^nxk_[A-Za-z0-9_-]{43}$/);
  assert.equal((await call(shown, 'GET', '/workflows')).status, 200, 'the shown key works');
  await screenshot(page, '14-tenant');
  await page.getByRole('button', { name: 'Done' }).click();
  await expectCount(page.getByLabel('New key'), 0, 'the key is not shown again');
  await page.getByRole('button', { name: /Revoke key ci-from-console/ }).click();
  await page.locator('tr', { hasText: 'ci-from-console' }).getByText(/^revoked/).waitFor();
});

test('another tenant sees the first tenant’s workflows and executions nowhere', T, async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(second.key);
  await page.locator('[data-empty="workflows"]').waitFor();
  await go('#/executions');
  await page.locator('[data-empty="executions"]').waitFor();
  await go(`#/workflows/${price}`);
  await page.getByRole('heading', { name: 'Not found' }).waitFor();
  await go(`#/executions/${seen.executionId}`);
  await page.getByRole('heading', { name: 'Not found' }).waitFor();
  await screenshot(page, '15-other-tenant-not-found');
  await go(`#/executions?workflow=${price}`);
  await page.locator('[data-empty="executions"]').waitFor();
});

test('a viewer is offered no writing controls', T, async () => {
  const viewer = await expectCall(first.key, 'POST', `/tenants/${first.tenant.id}/api-keys`, { name: 'viewer', role: 'viewer' }, 201);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(viewer.key);
  assert.match(await page.locator('.who').textContent(), /viewer/);
  await page.locator(`tr[data-workflow="${price}"]`).waitFor();
  await expectCount(page.getByRole('link', { name: 'New workflow', exact: true }), 0);
  await go(`#/workflows/${price}`);
  await page.locator('.dag-node').first().waitFor();
  await expectCount(page.getByRole('link', { name: 'Start execution', exact: true }), 0);
  await expectCount(page.getByRole('button', { name: 'Delete', exact: true }), 0);
});

test('the platform admin key gets tenant management', T, async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(ADMIN_KEY);
  await page.getByRole('heading', { name: 'Tenants' }).waitFor();
  await expectCount(page.getByRole('link', { name: 'Workflows', exact: true }), 0);
  // The list (oldest first) holds every tenant this database has seen, so the test's own tenant, the newest, may be
  // many pages in: the list is shown, and the tenant is opened by its address.
  await page.locator('tr[data-tenant] a').first().waitFor();
  await go(`#/tenants/${first.tenant.id}`);
  await page.getByRole('heading', { name: `Tenant ${first.tenant.name}` }).waitFor();
  await page.locator('.usage-chart').waitFor();
  await screenshot(page, '16-platform-tenant');
});

test('sign-out clears sessionStorage and shows the sign-in form', T, async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.reload();
  await page.getByLabel('API key').waitFor();
  await expectCount(page.locator('header.topbar'), 0, 'a reload does not sign back in');
});

test('every page shown passes axe-core’s WCAG 2.1 A and AA checks (labels, names, contrast, keyboard)', T, async () => {
  assert.ok(accessibility.pagesChecked.length >= 12, `only ${accessibility.pagesChecked.length} pages were checked`);
  assert.deepEqual(accessibility.violations, []);
});
