// Probe (not part of the bench): after a 1M import, opens every view as a person would (clicking the
// navigation), waits for it to settle and reports the longest frame gap, the frame p95 and a
// screenshot per view (build/bench/view-<name>.png). Usage: node bench/views-probe.mjs [--rows N]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, tempProfile, ROOT } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const ROWS = Number(arg('--rows', '1000000'));
const server = await startBenchServer({ site: path.join(ROOT, 'build', 'web') });
const profile = tempProfile('roster-views-');
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
  viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1,
});
const page = ctx.pages()[0] || (await ctx.newPage());
page.on('pageerror', (e) => console.error('pageerror', String(e)));
const frames = (n) => page.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
try {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.roster.ready);
  const imp = await page.evaluate(async (u) => {
    const b = new Uint8Array(await (await fetch(u)).arrayBuffer());
    const t = performance.now(); const p = window.roster.applyImport(b, { mode: 'replace' });
    return { ms: Math.round(performance.now() - t), ok: p.ok, counts: p.counts };
  }, `/bench/sei-${ROWS}.csv`);
  console.log('import', JSON.stringify(imp));
  await page.evaluate(() => window.roster.flush());
  for (const view of ['users', 'unassigned', 'attributes', 'orgUnits', 'suggestions', 'problems', 'history', 'users']) {
    const r = await page.evaluate(async (view) => {
      let maxGap = 0, last = performance.now(), n = 0;
      const t0 = performance.now();
      window.roster.ui({ action: 'view', view });
      while (performance.now() - t0 < 4000) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; n++;
      }
      const s = window.roster.stats();
      return { view, frames: n, maxFrameGapMs: Math.round(maxGap), p95Ms: s.frame.p95Ms, parts: s.frameParts, job: s.job && s.job.title };
    }, view);
    await page.screenshot({ path: path.join(ROOT, 'build', 'bench', `view-${view}.png`) });
    console.log(JSON.stringify(r));
  }
} finally {
  await ctx.close(); fs.rmSync(profile, { recursive: true, force: true }); await server.close();
}
