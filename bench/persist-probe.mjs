#!/usr/bin/env node
// Persistence probe: the save after one edit and the cold reload, without a full scripts/bench run.
//
//   node bench/persist-probe.mjs setup   --rows N [--csv FILE]   # import once into a kept profile, flush
//   node bench/persist-probe.mjs measure --rows N [--reloads K]  # reload -> ready (breakdown), edit, flush, reload
//
// The profile is build/bench/probe-profile-<N> and the page is served on a fixed port (IndexedDB is
// per origin), so `measure` can run again and again on the same stored directory. The app's own
// timings (Module.rosterTimes: IDBFS populate, Store::load read/crc/decode/index, first frame,
// Store::save, persist) are printed with each reload.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from '../tests/browser/harness.mjs';
import { createBenchServer } from './server.mjs';

const argv = process.argv.slice(2);
const mode = argv[0];
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const ROWS = Number(opt('--rows', '1000000'));
const CSV = path.resolve(opt('--csv', path.join(ROOT, 'build', 'bench', `sei-${ROWS}.csv`)));
const PORT = Number(opt('--port', '8931'));
const PROFILE = path.join(ROOT, 'build', 'bench', `probe-profile-${ROWS}`);
const RELOADS = Number(opt('--reloads', '2'));
const log = (...a) => console.error('[probe]', ...a);

const READY_PROBE = `(() => {
  const t = setInterval(() => {
    if (window.roster && window.roster.ready) {
      clearInterval(t);
      window.roster.ready.then(() => { window.__readyAt = performance.now(); });
    }
  }, 1);
})();`;

async function open(fresh) {
  if (fresh) fs.rmSync(PROFILE, { recursive: true, force: true });
  fs.mkdirSync(PROFILE, { recursive: true });
  // A service worker kept in the profile would answer with the files of an older build.
  fs.rmSync(path.join(PROFILE, 'Default', 'Service Worker'), { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM, headless: true,
    args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
    viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1,
    serviceWorkers: 'block',   // always the freshly built files
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => log('page error:', String(e.stack || e).split('\n')[0]));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning' || /roster timing/.test(m.text())) log(`console ${m.type()}: ${m.text()}`); });
  await page.addInitScript(READY_PROBE);
  return { context, page };
}

async function waitReady(page, what) {
  const t0 = Date.now();
  await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 600000, polling: 10 });
  const wall = Date.now() - t0;
  const r = await page.evaluate(() => ({
    readyAt: window.__readyAt, times: Module.rosterTimes, stats: roster.stats(),
    nav: performance.getEntriesByType('navigation')[0]?.toJSON(),
  }));
  log(`${what}: wall ${wall} ms, in page ${r.readyAt.toFixed(0)} ms, users ${r.stats.users}, identities ${r.stats.identities}, heap ${(r.stats.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB, model ${(r.stats.modelBytes / 2 ** 20).toFixed(0)} MiB`);
  for (const t of r.times) log(`   at ${t.at.toFixed(0).padStart(6)}  ${t.name.padEnd(20)} ${t.ms.toFixed(1).padStart(8)} ms  ${t.detail}`);
  return { wall, ...r };
}

async function main() {
  const server = createBenchServer({ benchDir: path.dirname(CSV) });
  await new Promise((r) => server.listen(PORT, '127.0.0.1', r));
  const url = `http://127.0.0.1:${PORT}/`;
  try {
    if (mode === 'setup') {
      const { context, page } = await open(true);
      await page.goto(url);
      await waitReady(page, 'empty start');
      const r = await page.evaluate(async (csvUrl) => {
        const bytes = new Uint8Array(await (await fetch(csvUrl)).arrayBuffer());
        const t0 = performance.now();
        const imp = roster.applyImport(bytes, { mode: 'replace' });
        const t1 = performance.now();
        await roster.flush();
        const t2 = performance.now();
        return { ok: imp.ok, applied: imp.applied, counts: imp.counts, errors: (imp.errors || []).slice(0, 3), importMs: t1 - t0, saveMs: t2 - t1, times: Module.rosterTimes.slice(-6), stats: roster.stats() };
      }, `/bench/${path.basename(CSV)}`);
      log(`import ${r.importMs.toFixed(0)} ms ${JSON.stringify(r.counts)} applied=${r.applied} ${JSON.stringify(r.errors)}`);
      log(`first save (import end -> flushed) ${r.saveMs.toFixed(0)} ms; heap ${(r.stats.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB`);
      for (const t of r.times) log(`   ${t.name.padEnd(20)} ${t.ms.toFixed(1).padStart(8)} ms  ${t.detail}`);
      await context.close();
    } else if (mode === 'measure') {
      const { context, page } = await open(false);
      await page.goto(url);
      await waitReady(page, 'cold start (new browser)');
      for (let i = 0; i < RELOADS; i++) {
        await page.reload({ waitUntil: 'commit' });
        await waitReady(page, `reload ${i + 1}`);
      }
      const name = 'Probe ' + Date.now();
      const f = await page.evaluate(async (name) => {
        Module.rosterPersistLog = [];
        const e = roster.command({ op: 'updateUser', id: 'u1', name });
        const t0 = performance.now();
        await roster.flush();
        const ms = performance.now() - t0;
        return { ok: e.ok, ms, log: Module.rosterPersistLog, times: Module.rosterTimes.slice(-3) };
      }, name);
      log(`flush after one edit: ${f.ms.toFixed(0)} ms (edit ok=${f.ok}); persisted ${JSON.stringify(f.log)}`);
      for (const t of f.times) log(`   ${t.name.padEnd(20)} ${t.ms.toFixed(1).padStart(8)} ms  ${t.detail}`);
      await page.reload({ waitUntil: 'commit' });
      await waitReady(page, 'reload after the edit');
      const check = await page.evaluate((name) => roster.query({ attribute: 'name', op: 'equals', value: name }), name);
      log(`edit visible after reload: ${JSON.stringify(check).slice(0, 80)} (expected ["u1"])`);
      await context.close();
    } else {
      console.error('usage: persist-probe.mjs setup|measure --rows N');
      process.exitCode = 2;
    }
  } finally {
    server.close();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
