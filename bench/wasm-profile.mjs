#!/usr/bin/env node
// CPU profile of roster.applyImport in Chromium, by function (self time), for a build with function
// names: `emcmake cmake -S . -B build/wasm-prof -DROSTER_PROFILING=ON -DROSTER_WEB_OUT=build/web-prof`
// then `cmake --build build/wasm-prof`, then
//   node bench/wasm-profile.mjs [--site build/web-prof] [--csv build/bench/sei-1000000.csv] [--top 40]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from '../tests/browser/harness.mjs';
import { createBenchServer } from './server.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const SITE = path.resolve(opt('--site', path.join(ROOT, 'build', 'web-prof')));
const CSV = path.resolve(opt('--csv', path.join(ROOT, 'build', 'bench', 'sei-1000000.csv')));
const TOP = Number(opt('--top', '40'));

const server = createBenchServer({ site: SITE, benchDir: path.dirname(CSV) });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-prof-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true,
  args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
  viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1, serviceWorkers: 'block',
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 120000 });
  await page.evaluate(() => window.roster.ready);
  await page.evaluate(async (u) => {
    const r = await fetch(u, { cache: 'no-store' });
    window.__bytes = new Uint8Array(await r.arrayBuffer());
    if (window.gc) window.gc();
  }, `/bench/${path.basename(CSV)}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const r = await page.evaluate(() => {
    const t0 = performance.now();
    const r = window.roster.applyImport(window.__bytes, { mode: 'replace' });
    return { ms: performance.now() - t0, counts: r.counts, timings: r.timings, ok: r.ok };
  });
  const { profile: prof } = await cdp.send('Profiler.stop');
  console.log(`applyImport ${Math.round(r.ms)} ms ok=${r.ok} ${JSON.stringify(r.counts)} phases ${JSON.stringify(r.timings)}`);
  // Self time per function name.
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const n = byId.get(prof.samples[i]);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'program'})`;
    const d = dt[i] / 1000;
    self.set(name, (self.get(name) || 0) + d);
    total += d;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log(`total sampled ${Math.round(total)} ms`);
  for (const [name, ms] of rows) console.log(`${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${name}`);
} finally {
  await context.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
