// Frame CPU time (stats().frame, the last 600 frames) while wheel-scrolling the users table at N
// rows, with the accessibility mirror on, then off; and where the mirror's time goes on the JS side
// (Module.rosterA11y wrapped: calls, ms, JSON bytes).
// Usage: node scripts/mirror-probe.mjs --site build/web --csv build/bench/sei-20000.csv [--frames 620] [--runs 1] [--profile]
// (--profile: a CPU profile of one scroll with the mirror on, self time by function.)
// Not part of scripts/bench: a quick probe for the mirror's work (issue 19).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { CHROMIUM, CHROMIUM_ARGS, tempProfile, startServer } from '../tests/browser/harness.mjs';
const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const SITE = arg('--site'), CSV = arg('--csv'), FRAMES = Number(arg('--frames', '620'));
const srv = await startServer(SITE);
const profile = tempProfile('roster-mprobe-');
const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
const page = ctx.pages()[0] || (await ctx.newPage());
page.on('pageerror', (e) => console.error('pageerror', String(e)));
try {
  await page.goto(srv.url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.roster.ready);
  const text = fs.readFileSync(CSV, 'utf8');
  const imp = await page.evaluate((t) => { const p = roster.applyImport(t, { mode: 'replace' }); return p.counts; }, text);
  console.log('import', JSON.stringify(imp));
  await page.evaluate(() => roster.flush()).catch(() => {});
  await page.evaluate(() => {
    window.__f = 0; const t = () => { window.__f++; requestAnimationFrame(t); }; requestAnimationFrame(t);
    const orig = Module.rosterA11y; window.__js = { calls: 0, ms: 0, bytes: 0 };
    Module.rosterA11y = function (s) { const t0 = performance.now(); orig(s); window.__js.ms += performance.now() - t0; window.__js.calls++; window.__js.bytes += s.length; };
  });
  await page.mouse.move(600, 400);
  for (let i = 0; i < 30; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  async function scroll(label) {
    const f0 = await page.evaluate(() => { window.__js = { calls: 0, ms: 0, bytes: 0 }; return window.__f; });
    let w = 0, f = f0;
    while (f - f0 < FRAMES) {
      await page.mouse.wheel(0, (w % 40 < 20 ? 1 : -1) * 600);
      w++;
      f = await page.evaluate((n) => new Promise((r) => { const s = window.__f; const c = () => (window.__f >= s + n ? r(window.__f) : requestAnimationFrame(c)); requestAnimationFrame(c); }), 1 + (w % 2));
    }
    const st = await page.evaluate(() => roster.stats());
    const js = await page.evaluate(() => window.__js);
    console.log(`${label}: frame p50 ${st.frame.p50Ms.toFixed(2)} p95 ${st.frame.p95Ms.toFixed(2)} (${st.frame.samples} samples, ${f - f0} frames, ${w} wheels); steps ${JSON.stringify(st.frameSteps || null)}; mirror JS: ${js.calls} calls, ${(js.ms / Math.max(1, js.calls)).toFixed(3)} ms/call, ${Math.round(js.bytes / Math.max(1, js.calls))} bytes/call`);
    return st.frame;
  }
  if (process.argv.includes('--profile')) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await scroll('profiled (mirror on)');
    const { profile } = await cdp.send('Profiler.stop');
    const self = {}, total = profile.endTime - profile.startTime;
    const dt = profile.timeDeltas, byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const counts = {};
    for (let i = 0; i < profile.samples.length; i++) counts[profile.samples[i]] = (counts[profile.samples[i]] || 0) + (dt[i] || 0);
    for (const [id, us] of Object.entries(counts)) { const n = byId.get(+id); const k = n.callFrame.functionName + ' ' + (n.callFrame.url.split('/').pop() || '') + ':' + n.callFrame.lineNumber; self[k] = (self[k] || 0) + us; }
    const top = Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 40);
    for (const [k, us] of top) console.log((us / 1000).toFixed(1).padStart(8), 'ms', k);
    console.log('total', (total / 1000).toFixed(0), 'ms');
  }
  const runs = Number(arg('--runs', '1'));
  for (let k = 0; k < runs; k++) {
    await page.evaluate(() => roster.ui({ action: 'a11y', on: true }));
    await scroll('mirror on ');
    await page.evaluate(() => roster.ui({ action: 'a11y', on: false }));
    await scroll('mirror off');
  }
} finally { await ctx.close(); fs.rmSync(profile, { recursive: true, force: true }); await srv.close(); }
