// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the flags that keep it off the network
// beyond the gateway, in a fresh profile per run.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'screenshots');

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'nexus-console-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every page screenshotted is also checked by axe-core against WCAG 2.x A and AA (labels, names, contrast, landmarks,
 * keyboard focusability): the findings gather here and one test at the end asserts there are none. axe is put in
 * through the DevTools protocol (page.evaluate), which the page's CSP does not apply to, so the CSP stays as served.
 */
export const accessibility = { pagesChecked: [], violations: [] };

async function checkAccessibility(page, name) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  accessibility.pagesChecked.push(name);
  for (const v of result.violations) {
    accessibility.violations.push(
      `${name}: ${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`,
    );
  }
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await checkAccessibility(page, name);
}
