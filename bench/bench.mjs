#!/usr/bin/env node
// Roster benchmark (run through scripts/bench, which builds the site and generates the CSV).
//
//   node bench/bench.mjs --rows N --csv FILE --gen FILE [--out FILE]
//
// --gen is the generator's stderr line ("gen-sei-csv: rows=… people=… unassigned=…"): the import
// must report added = people and skipped = unassigned, else the run fails.
//
// Everything runs in headless Debian Chromium (playwright-core), one page per import run, each in
// a fresh profile (the directory must be empty before an import); the last run's page then measures
// the rest with the data loaded. Figures are printed as a table and written as JSON. Exit status:
// 0 when everything ran (targets missed or not), 1 when something broke (count mismatch, crash,
// page error, timeout).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, tempProfile } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

// ------------------------------------------------------------------ arguments
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const ROWS = Number(opt('--rows', '1000000'));
const CSV = path.resolve(opt('--csv', path.join(ROOT, 'build', 'bench', `sei-${ROWS}.csv`)));
const GEN = path.resolve(opt('--gen', CSV.replace(/\.csv$/, '.gen.txt')));
const OUT = path.resolve(opt('--out', path.join(ROOT, 'build', 'bench', `results-${ROWS}.json`)));
const IMPORT_RUNS = Number(opt('--import-runs', '3'));
const PAPA_RUNS = Number(opt('--papa-runs', '3'));
const IMPORT_ONLY = argv.includes('--import-only');   // stop after the import runs (quick iterations)
const SEI_LOOP_ONLY = argv.includes('--sei-loop-only');   // only the SEI loop repeated (issue 18; quick iterations)
const MIN_WHEELS = 200, MIN_SCROLL_FRAMES = 620, WHEEL_DELTA = 600;

// Generous limits, scaled with the data set (a million rows may take minutes on a shared 2-core box).
const scale = Math.max(1, ROWS / 100000);
const T = {
  ready: 120e3 + 10e3 * scale,
  fetch: 60e3 + 10e3 * scale,
  papa: 60e3 + 30e3 * scale,
  importRun: 300e3 + 120e3 * scale,
  flush: 120e3 + 30e3 * scale,
  scroll: 600e3,
  query: 60e3 + 10e3 * scale,
};

const targets = {
  importRatio: { min: 3, text: '>= 3x' },
  frameP95Ms: { max: 8, text: '<= 8 ms' },
  queryMs: { max: 150, text: '<= 150 ms' },
  flushAfterEditMs: { max: 500, text: '<= 500 ms' },
  wasmHeapBytes: { max: 1.5 * 1024 ** 3, text: '<= 1.5 GB' },
  coldReloadMs: { max: 5000, text: '<= 5 s' },
  // issue 18: the SEI loop repeated (measureSeiLoop)
  repeatHeapRatio: { max: 1.25, text: '<= 1.25x' },
  reimportRatio: { max: 1 / 3, text: '<= 0.33x' },
  small10kRatio: { max: 6, text: '<= 6x Papa' },
  oneRowMs: { max: 2, text: '<= 2 ms' },
  oneRowEmptyMs: { max: 1, text: '<= 1 ms' },
};

// ------------------------------------------------------------------ helpers
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2) : null; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null; };
const round = (x, d = 1) => (x == null ? x : Math.round(x * 10 ** d) / 10 ** d);
const log = (...a) => console.error('[bench]', ...a);

class BenchError extends Error {}
let currentStep = 'start';
function step(name) { currentStep = name; log(name); }

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new BenchError(`timeout after ${Math.round(ms / 1000)} s: ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function parseGen(file) {
  if (!fs.existsSync(file)) throw new BenchError(`no generator summary ${file} (run scripts/bench, which writes it)`);
  const text = fs.readFileSync(file, 'utf8');
  const m = /rows=(\d+) people=(\d+) unassigned=(\d+)/.exec(text);
  if (!m) throw new BenchError(`cannot read the generator's counts from ${file}: ${text.trim()}`);
  return { rows: Number(m[1]), people: Number(m[2]), unassigned: Number(m[3]), line: text.trim() };
}

function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model;
  let chromiumVersion = null;
  try { chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* reported as null */ }
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    memTotalGiB: round(os.totalmem() / 1024 ** 3, 1),
    cpu, chromium: chromiumVersion, node: process.version, platform: `${os.type()} ${os.release()}`,
  };
}

// CPU seconds (user + system) used so far by the renderer processes of the Chromium whose
// profile is `profile` (found through /proc: the browser process has --user-data-dir=profile).
// Wall-clock figures suffer when the machine is shared; CPU time much less.
const CLK_TCK = 100;
function rendererCpuSeconds(profile) {
  const procs = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      procs.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLK_TCK, minflt: Number(f[7]), cmd });
    } catch { /* gone */ }
  }
  const roots = [...procs].filter(([, p]) => p.cmd.includes(`--user-data-dir=${profile}`) && !p.cmd.includes('--type=')).map(([pid]) => pid);
  if (!roots.length) return null;
  const inTree = new Set(roots);
  let grew = true;
  while (grew) { grew = false; for (const [pid, p] of procs) if (!inTree.has(pid) && inTree.has(p.ppid)) { inTree.add(pid); grew = true; } }
  let cpu = 0, minflt = 0;
  for (const pid of inTree) { const p = procs.get(pid); if (p.cmd.includes('--type=renderer')) { cpu += p.cpu; minflt += p.minflt; } }
  return { cpu, minflt };
}
// Renderer CPU time over fn, and its minor page faults: each is a 4 KiB page touched for the first
// time, which costs ~15 us on this VM (about 4 ms a MiB natively, more in Chromium): fresh memory
// is most of an import's time here (docs/bench.md).
async function withCpu(profile, fn) {
  const c0 = rendererCpuSeconds(profile);
  const r = await fn();
  const c1 = rendererCpuSeconds(profile);
  r.cpuMs = c0 == null || c1 == null ? null : Math.round((c1.cpu - c0.cpu) * 1000);
  r.faultMiB = c0 == null || c1 == null ? null : Math.round((c1.minflt - c0.minflt) * 4 / 1024);
  return r;
}
const loadavg = () => os.loadavg().map((x) => round(x, 2));

// Records when roster.ready resolves (performance.now(), i.e. ms since the navigation started).
const READY_PROBE = `(() => {
  const t = setInterval(() => {
    if (window.roster && window.roster.ready) {
      clearInterval(t);
      window.roster.ready.then(() => { window.__benchReadyAt = performance.now(); });
    }
  }, 1);
})();`;

// A browser on `profile` (a new empty one when not given) with one page on the app, ready.
// Console errors are kept. closeBrowser() ends the browser and keeps the profile; close() ends it
// and removes the profile. readyMs: from page.goto() until roster.ready resolved (node's clock);
// launchMs: the browser's start.
async function openBrowser(url, profile = tempProfile('roster-bench-'), waitUntil = 'load') {
  const tLaunch = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] || (await context.newPage());
  const plog = { errors: [], console: [], crashed: false };
  page.on('pageerror', (e) => plog.errors.push(String(e.stack || e).split('\n').slice(0, 4).join(' | ')));
  page.on('console', (m) => { plog.console.push(`${m.type()}: ${m.text()}`); if (plog.console.length > 500) plog.console.shift(); });
  page.on('crash', () => { plog.crashed = true; });
  await page.addInitScript(READY_PROBE);
  const t0 = Date.now();
  const launchMs = t0 - tLaunch;
  await withTimeout(page.goto(url, { waitUntil }), T.ready, 'loading the app');
  await page.waitForFunction(() => window.__benchReadyAt !== undefined, null, { timeout: T.ready, polling: 10 });
  const readyMs = Date.now() - t0;
  let closed = false;
  const closeBrowser = async () => { if (!closed) { closed = true; await context.close().catch(() => {}); } };
  const close = async () => { await closeBrowser(); fs.rmSync(profile, { recursive: true, force: true }); };
  return { context, page, plog, profile, close, closeBrowser, readyMs, launchMs, gotoAt: t0 };
}
const openFresh = (url) => openBrowser(url);

// A crash or a module abort breaks the run; other uncaught page errors (e.g. a rejected
// navigator.storage promise) are recorded in the results and printed, not fatal.
const FATAL = /RuntimeError|Aborted\(|unreachable|out of memory|OOM/i;
function checkPage(plog, what) {
  if (plog.crashed) throw new BenchError(`the page crashed during: ${what}`);
  const fatal = plog.errors.filter((e) => FATAL.test(e));
  if (fatal.length) throw new BenchError(`the module failed during ${what}: ${fatal.join(' || ')}`);
  for (const e of plog.errors.splice(0)) { log(`  page error (not fatal) during ${what}: ${e}`); pageErrors.push({ during: what, error: e }); }
}
const pageErrors = [];

// Records every IndexedDB sync (FS.syncfs) of the page: {at, ms, ok}. Observation only.
async function watchSyncs(page) {
  await page.evaluate(() => {
    window.__benchSyncs = [];
    const orig = FS.syncfs;
    FS.syncfs = function (populate, cb) {
      const rec = { at: performance.now(), populate: !!populate };
      window.__benchSyncs.push(rec);
      return orig.call(this, populate, (err) => { rec.ms = performance.now() - rec.at; rec.ok = !err; cb(err); });
    };
  });
}

async function loadBytes(page, csvUrl, withText) {
  return withTimeout(page.evaluate(async ({ csvUrl, withText }) => {
    const r = await fetch(csvUrl, { cache: 'no-store' });
    if (!r.ok) throw new Error(`fetch ${csvUrl}: HTTP ${r.status}`);
    window.__benchBytes = new Uint8Array(await r.arrayBuffer());
    if (withText) window.__benchText = new TextDecoder().decode(window.__benchBytes);
    if (window.gc) window.gc();
    return { bytes: window.__benchBytes.length, textLength: withText ? window.__benchText.length : null };
  }, { csvUrl, withText }), T.fetch, 'fetching the CSV into the page');
}

async function importOnce(page) {
  return withTimeout(page.evaluate(() => {
    const t0 = performance.now();
    const r = window.roster.applyImport(window.__benchBytes, { mode: 'replace' });
    const ms = performance.now() - t0;
    window.__benchImportEnd = performance.now();
    return {
      ms, ok: r.ok, applied: r.applied, counts: r.counts, error: r.error || null, timings: r.timings || null,
      errorCount: r.errors ? r.errors.length : null, warningCount: r.warnings ? r.warnings.length : null,
      firstErrors: r.errors ? r.errors.slice(0, 5) : null,
      errorCodes: (r.errors || []).reduce((m, e) => { m[e.code] = (m[e.code] || 0) + 1; return m; }, {}),
    };
  }), T.importRun, 'roster.applyImport');
}

async function timedFlush(page, what) {
  return withTimeout(page.evaluate(async () => {
    const t0 = performance.now();
    try { await window.roster.flush(); return { ms: performance.now() - t0 }; }
    catch (e) { return { ms: performance.now() - t0, error: { code: e.code || null, message: String(e.message || e) } }; }
  }), T.flush, what);
}

const stats = (page) => page.evaluate(() => window.roster.stats());

// Issue 18: the SEI loop as admins repeat it, in a browser of its own.
//  (a) repeated imports: import the file (replace) and save; then three rounds of: undo back to the
//      empty directory, import the file, import a copy with 1 % of its rows changed (update), save.
//      The WASM heap after the third round against the heap after the first import and its save.
//  (b) the 1 % re-import (update mode) against the first import: time, and the memory its undo step
//      keeps (stats().historyBytes) against the first import's.
//  (c) small imports, in another fresh browser: a one-row file into the empty directory (applied and
//      undone 7 times; the median apply), then into a directory made from the file's first
//      300,000 rows a one-row file (a new person) and a 10,000-row file (every row's team changed), each
//      applied and undone 5 times (the medians), the 10,000 rows against Papa.parse of the same text.
// Every import's counts are checked.
async function measureSeiLoop(url, csvUrl, gen) {
  const out = {};
  const changedCopy = (every) => {   // in the page: every `every`-th data row's Team_name gets a suffix
    const lines = window.__benchText.split('\n');
    let changed = 0;
    for (let i = 1; i < lines.length; i += every) {
      const l = lines[i];
      const a = l.indexOf(','), b = a < 0 ? -1 : l.indexOf(',', a + 1);
      if (b < 0 || l[0] === '"' || l[a + 1] === '"' || l[b + 1] === '"') continue;   // (a quoted name or email: its commas are not separators)
      lines[i] = l.slice(0, b + 1) + 'Z' + l.slice(b + 1);
      changed++;
    }
    window.__benchChanged = lines.join('\n');
    return changed;
  };
  let s = await openFresh(url);
  try {
    const { page, plog } = s;
    await loadBytes(page, csvUrl, true);
    const changedRows = await page.evaluate(changedCopy, 100);
    const apply = (which, mode) => withTimeout(page.evaluate(({ which, mode }) => {
      if (window.gc) window.gc();
      const h0 = window.roster.stats().historyBytes;
      const t0 = performance.now();
      const r = window.roster.applyImport(window[which], { mode });
      const ms = performance.now() - t0;
      const st = window.roster.stats();
      return { ms, applied: r.applied, counts: r.counts, error: r.error || (r.errors && r.errors[0]) || null, heap: st.wasmHeapBytes, historyGrowth: st.historyBytes - h0, timings: r.timings || null };
    }, { which, mode }), T.importRun, `applyImport ${which} ${mode}`);
    const undoAll = () => page.evaluate(() => { let n = 0; while (window.roster.stats().undoDepth > 0 && window.roster.undo()) n++; return { undone: n, users: window.roster.stats().users }; });
    const expectFirst = (r, what) => {
      checkPage(plog, what);
      const c = r.counts || {};
      if (!r.applied || c.added !== gen.people || c.skipped !== gen.unassigned) throw new BenchError(`${what}: counts ${JSON.stringify(c)} ${JSON.stringify(r.error)}, expected added=${gen.people}`);
    };
    const expectChanged = (r, what) => {
      checkPage(plog, what);
      const c = r.counts || {};
      if (!r.applied || c.added !== 0 || c.removed !== 0 || !(c.updated > 0) || c.updated > changedRows) throw new BenchError(`${what}: counts ${JSON.stringify(c)} ${JSON.stringify(r.error)}, expected up to ${changedRows} updated`);
    };
    step('SEI loop: the first import (replace) and its save');
    const first = await apply('__benchBytes', 'replace');
    expectFirst(first, 'the first import');
    let f = await timedFlush(page, 'flush after the first import');
    if (f.error) throw new BenchError(`flush failed: ${JSON.stringify(f.error)}`);
    const heap0 = (await stats(page)).wasmHeapBytes;
    step(`SEI loop: re-import with ${changedRows} rows (1 %) changed (update)`);
    const again = await apply('__benchChanged', 'update');
    expectChanged(again, 'the 1 % re-import');
    out.reimport = { firstMs: round(first.ms), ms: round(again.ms), ratio: round(again.ms / first.ms, 3), updated: again.counts.updated, changedRows,
      firstTimings: first.timings, timings: again.timings, heapAfter: again.heap,
      firstHistoryBytes: first.historyGrowth, historyBytes: again.historyGrowth, historyShare: round(again.historyGrowth / Math.max(1, first.historyGrowth), 4) };
    log(`  first import ${round(first.ms)} ms (undo keeps ${(first.historyGrowth / 2 ** 20).toFixed(1)} MiB); 1 % re-import ${round(again.ms)} ms = ${out.reimport.ratio}x, ` +
        `${again.counts.updated} updated, its undo keeps ${(again.historyGrowth / 2 ** 20).toFixed(2)} MiB`);
    const rounds = [];
    for (let k = 1; k <= 3; k++) {
      step(`SEI loop: round ${k}/3: undo to empty, import, import the changed copy, save`);
      const u = await undoAll();
      if (u.users !== 0) throw new BenchError(`round ${k}: ${u.users} people left after undoing everything`);
      const a = await apply('__benchBytes', 'update');
      expectFirst(a, `round ${k}: the import`);
      const b = await apply('__benchChanged', 'update');
      expectChanged(b, `round ${k}: the changed copy`);
      f = await timedFlush(page, `round ${k}: flush`);
      if (f.error) throw new BenchError(`round ${k}: flush failed: ${JSON.stringify(f.error)}`);
      const st = await stats(page);
      rounds.push({ importMs: round(a.ms), changedMs: round(b.ms), heap: st.wasmHeapBytes, modelBytes: st.modelBytes, historyBytes: st.historyBytes });
      log(`  round ${k}: import ${round(a.ms)} ms, changed copy ${round(b.ms)} ms, heap ${(st.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB, model ${(st.modelBytes / 2 ** 20).toFixed(0)} MiB`);
    }
    out.repeat = { heapAfterFirst: heap0, rounds, heapRatio: round(rounds[2].heap / heap0, 3) };
  } finally {
    await s.close();
  }
  s = await openFresh(url);
  try {
    const { page, plog } = s;
    step('small imports: a one-row file into the empty directory');
    await loadBytes(page, csvUrl, true);
    await page.addScriptTag({ url: url + 'bench/papaparse.min.js' });
    const small = await withTimeout(page.evaluate(() => {
      const lines = window.__benchText.split('\n');
      const header = lines[0];
      const base = lines.slice(0, Math.min(lines.length, 300001)).join('\n') + '\n';
      const mid = Math.floor((Math.min(lines.length, 300001)) / 2);
      const tenk = header + '\n' + lines.slice(mid, mid + 10000).map((l) => {
        const a = l.indexOf(','), b = a < 0 ? -1 : l.indexOf(',', a + 1);
        return b < 0 || l[b + 1] === '"' ? l : l.slice(0, b + 1) + 'Y' + l.slice(b + 1);
      }).join('\n') + '\n';
      const cols = header.split(',').length;
      const one = header + '\n' + ['Bench Newcomer', 'bench.newcomer@example.com'].concat(Array(cols - 2).fill('')).join(',') + '\n';
      window.__benchText = null;
      const median = (xs) => { const v = [...xs].sort((x, y) => x - y); return v[v.length >> 1]; };
      const time = (f) => { const t0 = performance.now(); const v = f(); return [performance.now() - t0, v]; };
      const applyUndo = (text, n) => {
        const applyMs = [], bothMs = [];
        let counts = null;
        for (let i = 0; i < n; i++) {
          const [ta, r] = time(() => window.roster.applyImport(text, { mode: 'update' }));
          if (!r.applied) return { error: r.error || (r.errors && r.errors[0]) || r };
          counts = r.counts;
          const [tu, ok] = time(() => window.roster.undo());
          if (!ok) return { error: 'undo failed' };
          applyMs.push(ta); bothMs.push(ta + tu);
        }
        return { applyMs: median(applyMs), bothMs: median(bothMs), runsMs: bothMs.map((x) => Math.round(x * 100) / 100), counts };
      };
      const res = {};
      res.empty = applyUndo(one, 7);
      const [tb, rb] = time(() => window.roster.applyImport(base, { mode: 'replace' }));
      res.base = { ms: tb, applied: rb.applied, counts: rb.counts, rows: Math.min(lines.length, 300001) - 1 };
      res.one = applyUndo(one, 5);
      res.tenk = applyUndo(tenk, 5);
      res.papaTenkMs = median([0, 1, 2, 3, 4].map(() => time(() => window.Papa.parse(tenk))[0]));
      res.papaOneMs = median([0, 1, 2, 3, 4].map(() => time(() => window.Papa.parse(one))[0]));
      return res;
    }), T.importRun * 2, 'small imports');
    checkPage(plog, 'small imports');
    for (const k of ['empty', 'one', 'tenk'])
      if (small[k].error) throw new BenchError(`small imports (${k}): ${JSON.stringify(small[k].error)}`);
    if (!small.base.applied) throw new BenchError(`small imports: the 300,000-row directory was refused: ${JSON.stringify(small.base)}`);
    if (small.empty.counts.added !== 1 || small.one.counts.added !== 1) throw new BenchError(`small imports: a one-row file added ${small.empty.counts.added} / ${small.one.counts.added}`);
    if (small.tenk.counts.updated < 5000) throw new BenchError(`small imports: the 10,000-row file updated ${small.tenk.counts.updated}`);
    out.small = {
      baseRows: small.base.rows, basePeople: small.base.counts.added, baseMs: round(small.base.ms),
      oneIntoEmptyApplyMs: round(small.empty.applyMs, 2), oneIntoEmptyRunsMs: small.empty.runsMs,
      oneApplyUndoMs: round(small.one.bothMs, 2), oneRunsMs: small.one.runsMs, papaOneMs: round(small.papaOneMs, 2),
      tenkApplyUndoMs: round(small.tenk.bothMs, 1), tenkRunsMs: small.tenk.runsMs, tenkUpdated: small.tenk.counts.updated, tenkAdded: small.tenk.counts.added,
      papaTenkMs: round(small.papaTenkMs, 1), tenkRatio: round(small.tenk.bothMs / small.papaTenkMs, 2),
    };
    log(`  one row into the empty directory ${out.small.oneIntoEmptyApplyMs} ms; into ${small.base.rows} rows: one row applied + undone ${out.small.oneApplyUndoMs} ms, ` +
        `10,000 rows ${out.small.tenkApplyUndoMs} ms vs Papa.parse ${out.small.papaTenkMs} ms (${out.small.tenkRatio}x)`);
  } finally {
    await s.close();
  }
  return out;
}

// The time this machine takes to hand a page fresh memory, measured the way an import meets it:
// a WebAssembly.Memory grown by `bytes` and one byte written per 4 KiB page (the first write to a
// page is a minor page fault; ~15-19 us each on this VM). Any import that ends with `bytes` more
// WASM heap than it started with pays at least this, before reading a byte of the file. Three
// runs per size, each a new Memory (the previous one collected first), in a fresh browser.
async function measureFloor(url, sizes, papaMs) {
  const s = await openFresh(url);
  try {
    const out = {};
    for (const { what, bytes } of sizes) {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        await s.page.evaluate(() => { window.__floorMem = null; if (window.gc) window.gc(); });
        const r = await withCpu(s.profile, () => s.page.evaluate((n) => {
          const pages = Math.ceil(n / 65536);
          const t0 = performance.now();
          const m = new WebAssembly.Memory({ initial: 0, maximum: 65536 });
          m.grow(pages);
          const u = new Uint8Array(m.buffer);
          for (let k = 0; k < u.length; k += 4096) u[k] = 1;
          window.__floorMem = m;
          return { ms: performance.now() - t0, bytes: u.length };
        }, bytes));
        runs.push(r);
      }
      const ms = median(runs.map((r) => r.ms));
      out[what] = {
        bytes, runsMs: runs.map((r) => round(r.ms)), medianMs: round(ms), freshMemoryMiB: runs.map((r) => r.faultMiB),
        usPerPage: round(ms * 1000 / (bytes / 4096), 2), papaOverFloor: round(papaMs / ms, 2),
      };
      log(`  ${what}: ${(bytes / 2 ** 20).toFixed(0)} MiB fresh: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms ` +
          `(${out[what].usPerPage} us a page; fresh memory ${runs.map((r) => r.faultMiB).join(', ')} MiB); Papa.parse / this = ${out[what].papaOverFloor}x`);
    }
    checkPage(s.plog, 'the floor');
    return out;
  } finally { await s.close(); }
}

// ------------------------------------------------------------------ the run
async function main() {
  const gen = parseGen(GEN);
  if (gen.rows !== ROWS) throw new BenchError(`${GEN} describes ${gen.rows} rows, not ${ROWS}`);
  if (!fs.existsSync(CSV)) throw new BenchError(`no CSV at ${CSV}`);
  const csvBytes = fs.statSync(CSV).size;
  const results = {
    rows: ROWS, csv: path.relative(ROOT, CSV), csvBytes, generator: gen, machine: machine(),
    csvVariant: /drop-account-conflicts/.test(gen.line) ? 'unassigned rows whose account a person holds in other case dropped (--drop-account-conflicts)' : 'as generated',
    startedAt: new Date().toISOString(), loadavgAtStart: loadavg(), targets: Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, v.text])),
  };
  log(`${ROWS} rows, ${(csvBytes / 1e6).toFixed(1)} MB, expecting added=${gen.people} skipped=${gen.unassigned}`);

  const server = await startBenchServer({ benchDir: path.dirname(CSV) });
  const csvUrl = `/bench/${path.basename(CSV)}`;
  let session = null;
  if (SEI_LOOP_ONLY) {
    try {
      const r = await measureSeiLoop(server.url, csvUrl, gen);
      log(JSON.stringify(r));
    } finally {
      await server.close();
    }
    return;
  }
  try {
    // ---- Papa.parse and the import runs
    const importRuns = [];
    let papaRuns = [];
    for (let run = 1; run <= IMPORT_RUNS; run++) {
      step(`import run ${run}/${IMPORT_RUNS}: fresh profile, open the app`);
      if (session) { await session.close(); session = null; }
      session = await openFresh(server.url);
      const { page, plog } = session;
      const users0 = (await stats(page)).users;
      if (users0 !== 0) throw new BenchError(`a fresh profile should start empty, found ${users0} users`);
      const withPapa = run === 1;
      const loaded = await loadBytes(page, csvUrl, withPapa);
      if (loaded.bytes !== csvBytes) throw new BenchError(`fetched ${loaded.bytes} bytes, the file has ${csvBytes}`);

      if (withPapa) {
        step('Papa.parse(text)');
        await page.addScriptTag({ url: server.url + 'bench/papaparse.min.js' });
        for (let i = 0; i < PAPA_RUNS; i++) {
          await page.evaluate(() => { if (window.gc) window.gc(); });
          const r = await withCpu(session.profile, () => withTimeout(page.evaluate(() => {
            const t0 = performance.now();
            const out = window.Papa.parse(window.__benchText);
            const ms = performance.now() - t0;
            return { ms, rows: out.data.length, errors: out.errors.length };
          }), T.papa, 'Papa.parse'));
          log(`  Papa.parse run ${i + 1}: ${r.ms.toFixed(0)} ms, renderer CPU ${r.cpuMs} ms, fresh memory ${r.faultMiB} MiB (${r.rows} rows, ${r.errors} errors)`);
          papaRuns.push(r);
        }
        await page.evaluate(() => { window.__benchText = null; if (window.gc) window.gc(); });
      }

      step(`roster.applyImport(bytes, {mode: "replace"}) run ${run}`);
      if (run === IMPORT_RUNS) await watchSyncs(page);
      await page.evaluate(() => { if (window.gc) window.gc(); });
      const load = loadavg();
      const heapBefore = (await stats(page)).wasmHeapBytes;
      const r = await withCpu(session.profile, () => importOnce(page));
      r.loadavg = load;
      r.heapGrowth = (await stats(page)).wasmHeapBytes - heapBefore;
      checkPage(plog, 'applyImport');
      log(`  applyImport run ${run}: ${r.ms.toFixed(0)} ms, renderer CPU ${r.cpuMs} ms, fresh memory ${r.faultMiB} MiB (load ${load.join(' ')}) ${JSON.stringify(r.counts)}`);
      if (r.timings) {
        log(`    phases (ms, in the app): ${Object.entries(r.timings).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
      }
      if (!r.ok || !r.applied) {
        const hint = r.errorCodes && r.errorCodes.ACCOUNT_CONFLICT
          ? '\n  (Roster compares account ids case-insensitively and the generator writes unassigned accounts that are a person\'s' +
            ' account in other case: scripts/bench --drop-account-conflicts measures the file without those rows)' : '';
        throw new BenchError(`import refused after ${r.ms.toFixed(0)} ms: ${r.errorCount} errors ${JSON.stringify(r.errorCodes)}, first: ` +
          `${JSON.stringify(r.error || r.firstErrors.slice(0, 2))}${hint}`);
      }
      const c = r.counts || {};
      if (c.added !== gen.people || c.skipped !== gen.unassigned || c.removed !== 0 || c.updated !== 0) {
        throw new BenchError(`import counts ${JSON.stringify(c)} differ from the generator's people=${gen.people} unassigned=${gen.unassigned}`);
      }
      importRuns.push(r);
      await page.evaluate(() => { window.__benchBytes = null; if (window.gc) window.gc(); });
    }
    const papaMs = median(papaRuns.map((r) => r.ms));
    const importMs = median(importRuns.map((r) => r.ms));
    const papaCpu = median(papaRuns.map((r) => r.cpuMs)), importCpu = median(importRuns.map((r) => r.cpuMs));
    results.papa = {
      runsMs: papaRuns.map((r) => round(r.ms)), medianMs: round(papaMs), cpuRunsMs: papaRuns.map((r) => r.cpuMs), cpuMedianMs: papaCpu,
      freshMemoryMiB: papaRuns.map((r) => r.faultMiB),
      rows: papaRuns[0]?.rows, errors: papaRuns[0]?.errors,
    };
    results.import = {
      runsMs: importRuns.map((r) => round(r.ms)), medianMs: round(importMs), cpuRunsMs: importRuns.map((r) => r.cpuMs), cpuMedianMs: importCpu,
      freshMemoryMiB: importRuns.map((r) => r.faultMiB),
      loadavgBeforeRuns: importRuns.map((r) => r.loadavg), counts: importRuns[0].counts,
      warnings: importRuns[0].warningCount, rowsPerSecond: Math.round(ROWS / (importMs / 1000)),
    };
    results.importRatio = round(papaMs / importMs, 2);

    results.importRatioCpu = papaCpu && importCpu ? round(papaCpu / importCpu, 2) : null;
    if (IMPORT_ONLY) {
      const st = await stats(session.page);
      log(`import-only: Papa ${round(papaMs)} ms (CPU ${papaCpu}), import ${round(importMs)} ms (CPU ${importCpu}), ` +
          `ratio ${results.importRatio}x (CPU ${results.importRatioCpu}x), wasm heap ${(st.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB`);
      return;
    }

    const { page, plog } = session;
    const st0 = await stats(page);
    results.afterImport = { users: st0.users, identities: st0.identities, modelBytes: st0.modelBytes, wasmHeapBytes: st0.wasmHeapBytes };

    // ---- save the import first, so the scroll frames do not include it
    step('flush() after the import (the import\'s own save)');
    const fi = await timedFlush(page, 'flush after the import');
    checkPage(plog, 'flush after the import');
    if (fi.error) throw new BenchError(`flush after the import failed: ${JSON.stringify(fi.error)}`);
    // The app starts saving by itself 0.4 s after the import, so flush() may find it under way:
    // the save's real length is from the import's end to the flush's end.
    const sinceImport = await page.evaluate(() => performance.now() - window.__benchImportEnd);
    const syncs1 = await page.evaluate(() => window.__benchSyncs.map((x) => ({ at: Math.round(x.at - window.__benchImportEnd), ms: x.ms == null ? null : Math.round(x.ms), ok: x.ok })));
    results.saveAfterImport = { flushCallMs: round(fi.ms), fromImportEndMs: round(sinceImport), idbSyncs: syncs1 };
    log(`  flush() ${fi.ms.toFixed(0)} ms; import end to saved ${sinceImport.toFixed(0)} ms; IndexedDB syncs ${JSON.stringify(syncs1)}`);

    // ---- frame CPU time while scrolling the users table with the wheel
    step(`scrolling: >= ${MIN_WHEELS} wheel events of ${WHEEL_DELTA} px over >= ${MIN_SCROLL_FRAMES} frames`);
    const shotDir = path.join(ROOT, 'build', 'bench');
    await page.mouse.move(600, 400);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const before = await page.screenshot({ path: path.join(shotDir, `scroll-${ROWS}-before.png`) });
    await page.evaluate(() => {
      window.__benchFrames = 0; window.__benchFrameGaps = [];
      let last = performance.now();
      const tick = (t) => { window.__benchFrames++; window.__benchFrameGaps.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const scrollStart = Date.now();
    let wheels = 0;
    for (;;) {
      await page.mouse.wheel(0, WHEEL_DELTA);
      wheels++;
      // one or two frames between events (alternating)
      const frames = await page.evaluate((n) => new Promise((r) => {
        const f0 = window.__benchFrames;
        const chk = () => (window.__benchFrames >= f0 + n ? r(window.__benchFrames) : requestAnimationFrame(chk));
        requestAnimationFrame(chk);
      }), 1 + (wheels % 2));
      if (wheels >= MIN_WHEELS && frames >= MIN_SCROLL_FRAMES) break;
      if (Date.now() - scrollStart > T.scroll) throw new BenchError(`scrolling took over ${T.scroll / 1000} s (${wheels} wheel events, ${frames} frames)`);
    }
    const st1 = await stats(page);
    const scrollInfo = await page.evaluate(() => ({ frames: window.__benchFrames, gaps: window.__benchFrameGaps.slice(1) }));
    const after = await page.screenshot({ path: path.join(shotDir, `scroll-${ROWS}-after.png`) });
    checkPage(plog, 'scrolling');
    results.frame = {
      p50Ms: round(st1.frame.p50Ms, 2), p95Ms: round(st1.frame.p95Ms, 2), samples: st1.frame.samples,
      wheelEvents: wheels, framesDuringScroll: scrollInfo.frames, scrollSeconds: round((Date.now() - scrollStart) / 1000, 1),
      rafIntervalP50Ms: round(quantile(scrollInfo.gaps, 0.5), 2), rafIntervalP95Ms: round(quantile(scrollInfo.gaps, 0.95), 2),
      tableMoved: !before.equals(after),
      // where the frame's time goes (p95 of each step; the steps' p95s do not add up to the frame's)
      steps: Object.fromEntries(Object.entries(st1.frameSteps || {}).map(([k, v]) => [k, round(v, 2)])),
    };
    log(`  frame p50 ${st1.frame.p50Ms.toFixed(2)} ms, p95 ${st1.frame.p95Ms.toFixed(2)} ms over ${st1.frame.samples} samples; ${wheels} wheel events, ${scrollInfo.frames} frames; table moved: ${results.frame.tableMoved}`);
    log(`  steps (p95 ms): ${JSON.stringify(results.frame.steps)}`);

    // ---- the same scrolling with the accessibility mirror off (issue 19: what the mirror costs;
    // the figure above is with it on, as the app runs). >= 620 frames: stats().frame holds the last 600.
    step('scrolling again with the accessibility mirror off');
    await page.evaluate(() => roster.ui({ action: 'a11y', on: false }));
    {
      let w2 = 0, f2 = 0;
      const f0 = await page.evaluate(() => window.__benchFrames);
      const t2 = Date.now();
      while (w2 < MIN_WHEELS || f2 - f0 < MIN_SCROLL_FRAMES) {
        await page.mouse.wheel(0, (w2 % 40 < 20 ? -1 : 1) * WHEEL_DELTA);
        w2++;
        f2 = await page.evaluate((n) => new Promise((r) => { const s = window.__benchFrames; const chk = () => (window.__benchFrames >= s + n ? r(window.__benchFrames) : requestAnimationFrame(chk)); requestAnimationFrame(chk); }), 1 + (w2 % 2));
        if (Date.now() - t2 > T.scroll) throw new BenchError('scrolling with the mirror off took too long');
      }
      const st2 = await stats(page);
      results.frameMirrorOff = { p50Ms: round(st2.frame.p50Ms, 2), p95Ms: round(st2.frame.p95Ms, 2), samples: st2.frame.samples };
      log(`  mirror off: frame p50 ${st2.frame.p50Ms.toFixed(2)} ms, p95 ${st2.frame.p95Ms.toFixed(2)} ms (on: p50 ${st1.frame.p50Ms.toFixed(2)}, p95 ${st1.frame.p95Ms.toFixed(2)})`);
    }
    await page.evaluate(() => roster.ui({ action: 'a11y', on: true }));

    // ---- heap
    const mem = await page.evaluate(() => ({ wasm: window.roster.stats().wasmHeapBytes, js: performance.memory ? performance.memory.usedJSHeapSize : null }));
    results.wasmHeapBytes = mem.wasm;
    results.jsHeapUsedBytes = mem.js;

    // ---- query
    step('roster.query({attribute: "team_name", op: "equals", value: "Platform"})');
    const qRuns = [];
    for (let i = 0; i < 3; i++) {
      const q = await withTimeout(page.evaluate(() => {
        const t0 = performance.now();
        const r = window.roster.query({ attribute: 'team_name', op: 'equals', value: 'Platform' });
        const ms = performance.now() - t0;
        return Array.isArray(r) ? { ms, matches: r.length } : { ms, error: (r && r.error) || { code: 'UNEXPECTED', message: JSON.stringify(r).slice(0, 200) } };
      }), T.query, 'roster.query');
      checkPage(plog, 'query');
      qRuns.push(q);
      if (q.error) break;
    }
    if (qRuns[0].error) {
      results.query = { status: 'n/a', error: qRuns[0].error };
      log(`  n/a: ${qRuns[0].error.code}`);
    } else {
      results.query = { runsMs: qRuns.map((q) => round(q.ms, 2)), medianMs: round(median(qRuns.map((q) => q.ms)), 2), matches: qRuns[0].matches };
      log(`  ${results.query.medianMs} ms, ${qRuns[0].matches} matches`);
    }

    // ---- save after one edit
    step("roster.command({op: 'updateUser', id: 'u1', name: 'Bench'}) then flush()");
    const edit = await page.evaluate(() => window.roster.command({ op: 'updateUser', id: 'u1', name: 'Bench' }));
    if (!edit || !edit.ok) throw new BenchError(`updateUser failed: ${JSON.stringify(edit)}`);
    const nSyncs = await page.evaluate(() => window.__benchSyncs.length);
    const fe = await timedFlush(page, 'flush after one edit');
    checkPage(plog, 'flush after one edit');
    if (fe.error) throw new BenchError(`flush after one edit failed: ${JSON.stringify(fe.error)}`);
    const syncs2 = await page.evaluate((n) => window.__benchSyncs.slice(n).map((x) => ({ ms: x.ms == null ? null : Math.round(x.ms), ok: x.ok })), nSyncs);
    results.flushAfterEditMs = round(fe.ms);
    results.flushAfterEditIdbSyncs = syncs2;
    log(`  ${fe.ms.toFixed(0)} ms; IndexedDB syncs ${JSON.stringify(syncs2)}`);

    // ---- warm reload: page.reload() in the same browser (its caches and processes are warm)
    step('warm reload: page.reload() in the same browser until roster.ready');
    const t0 = Date.now();
    await withTimeout(page.reload({ waitUntil: 'commit' }), T.ready, 'reload');
    await page.waitForFunction(() => window.__benchReadyAt !== undefined, null, { timeout: T.ready, polling: 10 });
    const wallMs = Date.now() - t0;
    const rr = await page.evaluate(() => ({ readyAt: window.__benchReadyAt, stats: window.roster.stats() }));
    checkPage(plog, 'warm reload');
    results.warmReload = { wallMs, inPageMs: round(rr.readyAt), users: rr.stats.users, firstPeopleInPageMs: round(rr.stats.usersTable.firstPeopleAtMs) };
    log(`  ${wallMs} ms (in page: ${rr.readyAt.toFixed(0)} ms since navigation start), users=${rr.stats.users}`);
    if (rr.stats.users !== gen.people) throw new BenchError(`after the warm reload stats().users = ${rr.stats.users}, the import added ${gen.people}`);
    // Everything is in IndexedDB before the browser closes (the reloaded page saves nothing new).
    const fr = await timedFlush(page, 'flush before closing the browser');
    if (fr.error) throw new BenchError(`flush before closing the browser failed: ${JSON.stringify(fr.error)}`);
    results.consoleErrors = plog.console.filter((l) => l.startsWith('error')).slice(0, 20);

    // ---- cold reload: the browser is closed and a new one opens the app on the same profile
    // (nothing of the app in memory: the service worker, WASM, IndexedDB all come from disk).
    // Measured from page.goto(): (a) until the Users table first drew people
    // (stats().usersTable.firstPeopleAtMs, recorded by the app at the end of that frame) and
    // (b) until roster.ready resolved.
    step('cold reload: close the browser, launch a new one on the same profile, open the app');
    await session.closeBrowser();
    session = await openBrowser(server.url, session.profile, 'commit');
    {
      const { page: cp, plog: cl } = session;
      const readyWallMs = session.readyMs;
      await cp.waitForFunction(() => window.roster.stats().usersTable.firstPeopleAtMs != null, null, { timeout: 30000, polling: 50 })
        .catch(() => { /* reported as null below */ });
      const cr = await cp.evaluate(() => ({ readyAt: window.__benchReadyAt, origin: performance.timeOrigin, stats: window.roster.stats() }));
      checkPage(cl, 'cold reload');
      const peopleAt = cr.stats.usersTable.firstPeopleAtMs;
      // performance.timeOrigin and Date.now() are the same wall clock: the in-page instants as
      // milliseconds after node called page.goto().
      const sinceGoto = (inPage) => (inPage == null ? null : Math.round(cr.origin + inPage - session.gotoAt));
      results.coldReload = {
        method: 'new browser on the stored profile (the previous one closed after flush())',
        peopleOnScreenMs: sinceGoto(peopleAt), readyMs: sinceGoto(cr.readyAt), readyWallMs,
        peopleOnScreenInPageMs: round(peopleAt), readyInPageMs: round(cr.readyAt), browserLaunchMs: session.launchMs,
        users: cr.stats.users, tableRows: cr.stats.usersTable.rows, drawnRows: cr.stats.usersTable.drawnRows, wasmHeapBytes: cr.stats.wasmHeapBytes,
      };
      results.coldReload.wallMs = results.coldReload.peopleOnScreenMs == null ? null : Math.max(results.coldReload.peopleOnScreenMs, results.coldReload.readyMs);
      log(`  people on screen ${results.coldReload.peopleOnScreenMs} ms, ready ${results.coldReload.readyMs} ms after page.goto ` +
          `(node saw ready after ${readyWallMs} ms; in page ${round(peopleAt, 0)} / ${round(cr.readyAt, 0)} ms since navigation start); ` +
          `browser launch ${session.launchMs} ms; users=${cr.stats.users}, table rows ${cr.stats.usersTable.rows}, drawn ${cr.stats.usersTable.drawnRows}`);
      if (cr.stats.users !== gen.people) throw new BenchError(`after the cold reload stats().users = ${cr.stats.users}, the import added ${gen.people}`);
      results.consoleErrors = results.consoleErrors.concat(cl.console.filter((l) => l.startsWith('error')).slice(0, 20));
    }
    results.pageErrors = pageErrors;

    // ---- the floor: what fresh memory alone costs here, in a browser of its own (the app's is
    // closed first, so that its saving does not share the CPU with this)
    await session.close();
    session = null;
    // ---- the SEI loop repeated (issue 18), in browsers of its own
    results.seiLoop = await measureSeiLoop(server.url, csvUrl, gen);
    step('floor: touching fresh WASM memory of the input\'s size and of the heap an import grows');
    results.floor = await measureFloor(server.url, [
      { what: 'input', bytes: csvBytes },
      { what: 'importHeapGrowth', bytes: median(importRuns.map((r) => r.heapGrowth)) },
    ], papaMs);
  } catch (e) {
    results.failed = { step: currentStep, message: String(e && e.message || e) };
    if (session) {
      const { page, plog } = session;
      results.failed.crashed = plog.crashed;
      results.failed.pageErrors = pageErrors.map((p) => `${p.during}: ${p.error}`).concat(plog.errors).slice(-20);
      results.failed.console = plog.console.slice(-40);
      results.failed.heap = await withTimeout(page.evaluate(() => ({
        wasmHeapBytes: typeof HEAPU8 !== 'undefined' ? HEAPU8.length : null,
        jsHeapUsedBytes: performance.memory ? performance.memory.usedJSHeapSize : null,
        stats: (() => { try { return window.roster.stats(); } catch (err) { return String(err); } })(),
      })), 20000, 'reading the heap after a failure').catch((err) => ({ unavailable: String(err.message || err) }));
    }
    throw Object.assign(e instanceof BenchError ? e : new BenchError(String(e && e.stack || e)), { results });
  } finally {
    if (session) await session.close();
    await server.close();
    results.finishedAt = new Date().toISOString();
    results.loadavgAtEnd = loadavg();
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  }
  return results;
}

// ------------------------------------------------------------------ report
function verdict(value, t) {
  if (value == null) return 'n/a';
  if (t.min != null) return value >= t.min ? 'PASS' : 'FAIL';
  return value <= t.max ? 'PASS' : 'FAIL';
}

// "ui 1.2 + job 0 + idle 0.1 (draw 0.8, gl 0.3)": the frame's steps (stats().frameSteps), p95.
function frameStepsText(st) {
  if (!st || st.uiP95Ms == null) return 'n/a (this build reports no job/idle steps)';
  const f = (x) => (x == null ? '?' : String(x));
  return `ui ${f(st.uiP95Ms)} (prep ${f(st.prepP95Ms)}, newFrame ${f(st.newFrameP95Ms)}, draw ${f(st.drawP95Ms)}, render ${f(st.renderP95Ms)}, gl ${f(st.glP95Ms)}), ` +
    `job ${f(st.jobP95Ms)}, idle ${f(st.idleP95Ms)} ms`;
}

function report(r) {
  const ms = (x) => (x == null ? 'n/a' : `${x >= 100 ? Math.round(x) : x} ms`);
  const mib = (b) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
  const queryMs = r.query && r.query.medianMs != null ? r.query.medianMs : null;
  const lines = [
    ['import (applyImport replace)', `${ms(r.import.medianMs)} (runs ${r.import.runsMs.map((x) => Math.round(x)).join(', ')})   Papa.parse ${ms(r.papa.medianMs)}   ratio Papa/import = ${r.importRatio}x`, targets.importRatio.text, verdict(r.importRatio, targets.importRatio)],
    ['  same, renderer CPU time', `${ms(r.import.cpuMedianMs)}   Papa.parse ${ms(r.papa.cpuMedianMs)}   ratio = ${r.importRatioCpu}x`, '(info)', ''],
    ['  fresh memory touched (MiB)', `import ${(r.import.freshMemoryMiB || []).join(', ')}   Papa.parse ${(r.papa.freshMemoryMiB || []).join(', ')} (its later runs reuse the first's)`, '(info)', ''],
    ['  first runs only (both on fresh memory)', `import ${ms(r.import.runsMs[0])}   Papa.parse ${ms(r.papa.runsMs[0])}   ratio = ${round(r.papa.runsMs[0] / r.import.runsMs[0], 2)}x`, '(info)', ''],
    ...(r.floor ? [
      ['  floor: fresh WASM memory of the heap an import grows', `${mib(r.floor.importHeapGrowth.bytes)} touched in ${ms(r.floor.importHeapGrowth.medianMs)} (${r.floor.importHeapGrowth.usPerPage} us a page): Papa.parse / this = ${r.floor.importHeapGrowth.papaOverFloor}x`, '(info)', ''],
      ['  floor: fresh WASM memory of the input\'s size', `${mib(r.floor.input.bytes)} touched in ${ms(r.floor.input.medianMs)}: Papa.parse / this = ${r.floor.input.papaOverFloor}x`, '(info)', ''],
    ] : []),
    ['frame p95 while scrolling (whole frame)', `${ms(r.frame.p95Ms)} (p50 ${ms(r.frame.p50Ms)}, ${r.frame.samples} samples)`, targets.frameP95Ms.text, verdict(r.frame.p95Ms, targets.frameP95Ms)],
    ['  its steps, p95', frameStepsText(r.frame.steps), '(info)', ''],
    ['  the same with the accessibility mirror off', r.frameMirrorOff ? `${ms(r.frameMirrorOff.p95Ms)} (p50 ${ms(r.frameMirrorOff.p50Ms)})` : 'n/a', '(info: the mirror\'s cost)', ''],
    ['query team_name = Platform', queryMs != null ? `${ms(queryMs)} (${r.query.matches} matches)` : `n/a (${r.query.error.code})`, targets.queryMs.text, verdict(queryMs, targets.queryMs)],
    ['flush after one edit', ms(r.flushAfterEditMs), targets.flushAfterEditMs.text, verdict(r.flushAfterEditMs, targets.flushAfterEditMs)],
    ['wasm heap', mib(r.wasmHeapBytes), targets.wasmHeapBytes.text, verdict(r.wasmHeapBytes, targets.wasmHeapBytes)],
    ['cold reload (new browser, stored profile)', r.coldReload.peopleOnScreenMs == null
      ? `people never drawn in 30 s; ready ${ms(r.coldReload.readyMs)}`
      : `people on screen ${ms(r.coldReload.peopleOnScreenMs)}, ready ${ms(r.coldReload.readyMs)} after page.goto`, targets.coldReloadMs.text, verdict(r.coldReload.wallMs, targets.coldReloadMs)],
    ['  same, in page since navigation start', `people ${ms(r.coldReload.peopleOnScreenInPageMs)}, ready ${ms(r.coldReload.readyInPageMs)}; browser launch before it ${ms(r.coldReload.browserLaunchMs)}`, '(info)', ''],
    ...(r.seiLoop ? [
      ['SEI loop: heap after 3 rounds / after the first import', `${r.seiLoop.repeat.heapRatio}x (${mib(r.seiLoop.repeat.heapAfterFirst)} -> ${r.seiLoop.repeat.rounds.map((x) => mib(x.heap)).join(' -> ')})`, targets.repeatHeapRatio.text, verdict(r.seiLoop.repeat.heapRatio, targets.repeatHeapRatio)],
      ['re-import, 1 % of rows changed / first import', `${r.seiLoop.reimport.ratio}x (${ms(r.seiLoop.reimport.ms)} vs ${ms(r.seiLoop.reimport.firstMs)}, ${r.seiLoop.reimport.updated} updated)`, targets.reimportRatio.text, verdict(r.seiLoop.reimport.ratio, targets.reimportRatio)],
      ['  the memory its undo keeps', `${(r.seiLoop.reimport.historyBytes / 2 ** 20).toFixed(2)} MiB = ${Math.round(r.seiLoop.reimport.historyBytes / Math.max(1, r.seiLoop.reimport.updated))} bytes a changed row (the first import's: ${(r.seiLoop.reimport.firstHistoryBytes / 2 ** 20).toFixed(2)} MiB)`, '(info: in proportion to the change)', ''],
      [`10,000 rows into ${r.seiLoop.small.baseRows.toLocaleString('en')}, applied + undone`, `${ms(r.seiLoop.small.tenkApplyUndoMs)} vs Papa.parse ${ms(r.seiLoop.small.papaTenkMs)} = ${r.seiLoop.small.tenkRatio}x`, targets.small10kRatio.text, verdict(r.seiLoop.small.tenkRatio, targets.small10kRatio)],
      [`one row into ${r.seiLoop.small.baseRows.toLocaleString('en')}, applied + undone`, `${ms(r.seiLoop.small.oneApplyUndoMs)} (runs ${r.seiLoop.small.oneRunsMs.join(', ')})`, targets.oneRowMs.text, verdict(r.seiLoop.small.oneApplyUndoMs, targets.oneRowMs)],
      ['one row into the empty directory, applied', `${ms(r.seiLoop.small.oneIntoEmptyApplyMs)}`, targets.oneRowEmptyMs.text, verdict(r.seiLoop.small.oneIntoEmptyApplyMs, targets.oneRowEmptyMs)],
    ] : []),
    ['warm reload (page.reload, same browser)', `ready ${ms(r.warmReload.wallMs)} (in page ${ms(r.warmReload.inPageMs)})`, '(info)', ''],
  ];
  r.pass = {
    importRatio: verdict(r.importRatio, targets.importRatio), frameP95Ms: verdict(r.frame.p95Ms, targets.frameP95Ms),
    queryMs: verdict(queryMs, targets.queryMs), flushAfterEditMs: verdict(r.flushAfterEditMs, targets.flushAfterEditMs),
    wasmHeapBytes: verdict(r.wasmHeapBytes, targets.wasmHeapBytes), coldReloadMs: verdict(r.coldReload.wallMs, targets.coldReloadMs),
    ...(r.seiLoop ? {
      repeatHeapRatio: verdict(r.seiLoop.repeat.heapRatio, targets.repeatHeapRatio), reimportRatio: verdict(r.seiLoop.reimport.ratio, targets.reimportRatio),
      small10kRatio: verdict(r.seiLoop.small.tenkRatio, targets.small10kRatio), oneRowMs: verdict(r.seiLoop.small.oneApplyUndoMs, targets.oneRowMs),
      oneRowEmptyMs: verdict(r.seiLoop.small.oneIntoEmptyApplyMs, targets.oneRowEmptyMs),
    } : {}),
  };
  const w0 = Math.max(...lines.map((l) => l[0].length)), w1 = Math.max(...lines.map((l) => l[1].length)), w2 = Math.max(...lines.map((l) => l[2].length));
  const out = [];
  out.push(`Roster bench: ${r.rows.toLocaleString('en')} rows (${(r.csvBytes / 1e6).toFixed(1)} MB), ${r.import.counts.added} people, ${r.import.counts.skipped} unassigned`);
  if (r.csvVariant !== 'as generated') out.push(`data: ${r.generator.line}`);
  out.push(`machine: ${r.machine.nproc} cores, ${r.machine.memTotalGiB} GiB, ${r.machine.cpu}; ${r.machine.chromium}`);
  out.push(`every figure below was measured in this run (${r.startedAt} to ${r.finishedAt})`);
  out.push('');
  for (const l of lines) out.push(`  ${l[0].padEnd(w0)}  ${l[1].padEnd(w1)}  target ${l[2].padEnd(w2)}  ${l[3]}`);
  out.push('');
  out.push(`  load average (1/5/15 min): at start ${r.loadavgAtStart.join(' ')}, at end ${r.loadavgAtEnd ? r.loadavgAtEnd.join(' ') : '?'} (${r.machine.nproc} cores: wall-clock figures include waiting for the CPU)`);
  out.push(`  also: save after the import ${ms(r.saveAfterImport.fromImportEndMs)} from the import's end; model ${mib(r.afterImport.modelBytes || 0)}; ` +
    `JS heap used ${r.jsHeapUsedBytes ? mib(r.jsHeapUsedBytes) : 'n/a'}; rAF interval while scrolling p50 ${ms(r.frame.rafIntervalP50Ms)} p95 ${ms(r.frame.rafIntervalP95Ms)}; ` +
    `${r.frame.wheelEvents} wheel events over ${r.frame.framesDuringScroll} frames, table moved: ${r.frame.tableMoved}`);
  if (r.pageErrors && r.pageErrors.length) out.push(`  page errors (not fatal): ${r.pageErrors.map((p) => `[${p.during}] ${p.error}`).join('; ')}`);
  return out.join('\n');
}

main().then((r) => {
  if (!r) { console.log('import-only run: the figures are in the log above (no table)'); process.exit(0); }
  const table = report(r);
  fs.writeFileSync(OUT, JSON.stringify(r, null, 2) + '\n');
  console.log(table);
  console.log(`\nresults: ${path.relative(process.cwd(), OUT)}`);
  process.exit(0);
}, (e) => {
  console.error(`\n[bench] FAILED at step "${currentStep}": ${e.message}`);
  const f = e.results && e.results.failed;
  if (f) {
    if (f.crashed) console.error('[bench] the page crashed');
    if (f.pageErrors && f.pageErrors.length) console.error('[bench] page errors:\n  ' + f.pageErrors.join('\n  '));
    if (f.console && f.console.length) console.error('[bench] last console lines:\n  ' + f.console.join('\n  '));
    if (f.heap) console.error('[bench] heap: ' + JSON.stringify(f.heap));
  }
  console.error(`[bench] partial results: ${path.relative(process.cwd(), OUT)}`);
  process.exit(1);
});
