// The set-up the probes share (warm-probe, views-probe, drop-probe): the bench server, a fresh
// Chromium profile with the bench's flags and viewport, one page on the app, ready. close() ends
// the browser, removes the profile and stops the server.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, tempProfile } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

export async function openProbePage({ benchDir = path.join(ROOT, 'build', 'bench'), tag = 'probe' } = {}) {
  const server = await startBenchServer({ site: path.join(ROOT, 'build', 'web'), benchDir });
  const profile = tempProfile(`roster-${tag}-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1,
    args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
  });
  const close = async () => { await context.close().catch(() => {}); fs.rmSync(profile, { recursive: true, force: true }); await server.close(); };
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => console.error('pageerror', String(e)));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
    await page.evaluate(() => window.roster.ready);
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
