// Quick probe of the frame CPU time while wheel-scrolling the users table (the bench's scroll step
// alone), plus a sort through the UI's job when the build has it, and the Problems view's lint.
// Usage: node bench/scroll-probe.mjs [--rows N] [--site DIR] [--wheels N] [--sort] [--problems] [--query] [--autosave]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, tempProfile, ROOT } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const ROWS = Number(arg('--rows', '1000000'));
const SITE = arg('--site', path.join(ROOT, 'build', 'web'));
const WHEELS = Number(arg('--wheels', '200'));
const tag = arg('--tag', 'probe');
const csvName = fs.existsSync(path.join(ROOT, 'build', 'bench', `sei-${ROWS}-nc.csv`)) ? `sei-${ROWS}-nc.csv` : `sei-${ROWS}.csv`;

const server = await startBenchServer({ site: SITE });
const profile = tempProfile('roster-probe-');
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS.concat(['--js-flags=--max-old-space-size=4096 --expose-gc']),
  viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1,
});
const page = ctx.pages()[0] || (await ctx.newPage());
page.on('pageerror', (e) => console.error('pageerror', String(e)));
try {
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.roster.ready);
  // One in-page frame watcher for every step below: runs begin(), then waits a frame at a time
  // until until(stats) answers something; reports the wall time, the longest gap between frames,
  // the frame count and the gaps over 100 ms ([ms since the start, gap]).
  await page.evaluate(() => {
    window.__watch = async (begin, until, timeoutMs) => {
      const t0 = performance.now();
      const started = begin ? begin() : null;
      if (started && started.ok === false) return started;
      let maxGap = 0, last = performance.now(), frames = 0;
      const gaps = [];
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        if (now - last > 100) gaps.push([Math.round(now - t0), Math.round(now - last)]);
        last = now; frames++;
        const s = window.roster.stats();
        const v = until(s);
        if (v) return Object.assign({ ms: Math.round(now - t0), maxFrameGapMs: Math.round(maxGap), frames, gaps }, v);
        if (now - t0 > timeoutMs) return { timeout: true, ms: Math.round(now - t0), stats: s };
      }
    };
  });
  const t0 = Date.now();
  const imp = await page.evaluate(async (u) => {
    const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer());
    const t = performance.now(); const p = window.roster.applyImport(b, { mode: 'replace' });
    return { ms: performance.now() - t, ok: p.ok, counts: p.counts };
  }, `/bench/${csvName}`);
  console.log(`import ${csvName}: ${JSON.stringify(imp)} (${Date.now() - t0} ms total)`);
  if (process.argv.includes('--autosave')) {
    // The save the app starts by itself after the import (no flush()): its chunks are encoded a
    // slice a frame (each written to a file of its own, which the save renames into place), then
    // put into IndexedDB in slices. Watch the frames until it is durable.
    const r = await page.evaluate(() => window.__watch(null, (s) => s.savedRevision === s.revision && {}, 120000));
    console.log(`autosave after the import: ${JSON.stringify(Object.assign({}, r, { gaps: undefined }))}`);
    console.log(`  app timings: ${JSON.stringify(await page.evaluate(() => (window.Module && Module.rosterTimes || []).slice(-6).map((x) => [x.name, Math.round(x.ms), x.detail])))}`);
    console.log(`  gaps over 100 ms: ${JSON.stringify(r.gaps || [])}`);
  }
  await page.evaluate(() => window.roster.flush()).catch((e) => console.log('flush', String(e)));
  await page.mouse.move(600, 400);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // warm up: let post-import work (suggestions, lint) happen before the measured window
  for (let i = 0; i < 30; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  await page.evaluate(() => { window.__f = 0; const t = () => { window.__f++; requestAnimationFrame(t); }; requestAnimationFrame(t); });
  for (let w = 1; w <= WHEELS; w++) {
    await page.mouse.wheel(0, 600);
    await page.evaluate((n) => new Promise((r) => { const f0 = window.__f; const c = () => (window.__f >= f0 + n ? r() : requestAnimationFrame(c)); requestAnimationFrame(c); }), 1 + (w % 2));
  }
  const st = await page.evaluate(() => window.roster.stats());
  console.log(`frame p50 ${st.frame.p50Ms.toFixed(2)} p95 ${st.frame.p95Ms.toFixed(2)} samples ${st.frame.samples}; parts ${JSON.stringify(st.frameParts || null)}; steps ${JSON.stringify(st.frameSteps || null)}; usersTable ${JSON.stringify(st.usersTable || null)}`);
  fs.mkdirSync(path.join(ROOT, 'build', 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'build', 'screenshots', `${tag}-scroll.png`) });
  if (process.argv.includes('--query')) {
    const q = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 7; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        const t = performance.now();
        const ids = window.roster.query({ attribute: 'team_name', op: 'equals', value: 'Platform' });
        out.push({ ms: Math.round(performance.now() - t), n: ids.length, checking: window.roster.stats().problems.checking });
      }
      // Right after an edit, in the same task (no frame between them to patch the value codes).
      const id = window.roster.query({ attribute: 'team_name', op: 'notEquals', value: 'Platform' })[0];
      for (let i = 0; i < 2; i++) {
        window.roster.command({ op: 'setAttribute', ids: [id], key: 'team_name', value: i ? 'Mobile' : 'Platform' });
        const t = performance.now();
        const ids = window.roster.query({ attribute: 'team_name', op: 'equals', value: 'Platform' });
        out.push({ afterEdit: true, ms: Math.round(performance.now() - t), n: ids.length });
      }
      return out;
    });
    console.log(`query: ${JSON.stringify(q)}`);
  }
  if (process.argv.includes('--problems')) {
    // Open the Problems view and watch the frames until its findings are those of this revision
    // (the lint runs in slices: no frame should wait for the whole of it).
    const r = await page.evaluate(() => window.__watch(() => window.roster.ui({ action: 'view', view: 'problems' }),
      (s) => s.problems.revision === s.revision && !s.problems.checking && { problems: s.problems }, 120000));
    console.log(`problems view: ${JSON.stringify(r)}`);
    await page.screenshot({ path: path.join(ROOT, 'build', 'screenshots', `${tag}-problems.png`) });
    const t = await page.evaluate(() => window.__watch(() => window.roster.ui({ action: 'problemsTab', tab: 'reportingLines' }),
      (s) => s.problems.tree && s.problems.tree.revision === s.revision && !s.problems.treeReading && { tree: s.problems.tree }, 60000));
    console.log(`reporting lines: ${JSON.stringify(t)}`);
    await page.screenshot({ path: path.join(ROOT, 'build', 'screenshots', `${tag}-reporting-lines.png`) });
  }
  if (process.argv.includes('--sort')) {
    for (const column of ['name', 'email', 'accounts', 'team_name', 'start_date']) {
      const r = await page.evaluate((column) => window.__watch(() => window.roster.ui({ action: 'sortUsers', column, ascending: true }),
        (s) => !s.job && s.usersTable.sortColumn === column && !s.usersTable.sorting && { lastJob: s.lastJob, phaseMs: s.usersTable.lastSortMs },
        60000), column);
      console.log(`sort ${column}: ${JSON.stringify(r)}`);
    }
  }
} finally {
  await ctx.close(); fs.rmSync(profile, { recursive: true, force: true }); await server.close();
}
