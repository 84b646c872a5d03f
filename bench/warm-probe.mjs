// Probe (not part of the bench): three applyImport runs in ONE page, an undo (back to the empty
// directory) and a flush between them, to see what the import costs once the WASM heap's pages are
// already touched, as Papa.parse's later runs are. Usage: node bench/warm-probe.mjs [CSV]
import { chromium } from 'playwright-core';
import path from 'node:path';
import fs from 'node:fs';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, tempProfile } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

const CSV = path.resolve(process.argv[2] || path.join(ROOT, 'build', 'bench', 'sei-1000000.csv'));
const server = await startBenchServer({ benchDir: path.dirname(CSV) });
const profile = tempProfile('roster-warm-');
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 860 },
  args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.log('pageerror', String(e)));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.roster.ready);
  await page.evaluate(async (u) => { window.__b = new Uint8Array(await (await fetch(u)).arrayBuffer()); }, `/bench/${path.basename(CSV)}`);
  for (let run = 1; run <= 3; run++) {
    const r = await page.evaluate(() => {
      if (window.gc) window.gc();
      const t0 = performance.now();
      const r = window.roster.applyImport(window.__b, { mode: 'replace' });
      return { ms: Math.round(performance.now() - t0), ok: r.ok, counts: r.counts, timings: r.timings, heap: window.roster.stats().wasmHeapBytes };
    });
    console.log(`run ${run}: ${r.ms} ms ok=${r.ok} ${JSON.stringify(r.counts)} heap ${(r.heap / 2 ** 20).toFixed(0)} MiB timings ${JSON.stringify(r.timings)}`);
    const u = await page.evaluate(async () => { const t0 = performance.now(); const did = window.roster.undo(); const t1 = performance.now(); await window.roster.flush(); return { did, undoMs: Math.round(t1 - t0), flushMs: Math.round(performance.now() - t1), users: window.roster.stats().users }; });
    console.log(`  undo ${JSON.stringify(u)}`);
  }
} finally {
  await context.close(); fs.rmSync(profile, { recursive: true, force: true }); await server.close();
}
