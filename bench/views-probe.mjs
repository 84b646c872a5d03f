// Probe (not part of the bench): after a 1M import, opens every view as a person would (clicking the
// navigation), waits for it to settle and reports the longest frame gap, the frame p95 and a
// screenshot per view (build/bench/view-<name>.png). Usage: node bench/views-probe.mjs [--rows N]
import path from 'node:path';
import { ROOT } from '../tests/browser/harness.mjs';
import { openProbePage } from './probe-page.mjs';

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const ROWS = Number(arg('--rows', '1000000'));
const { page, close } = await openProbePage({ tag: 'views' });
try {
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
      const gaps = [];
      const t0 = performance.now();
      window.roster.ui({ action: 'view', view });
      while (performance.now() - t0 < 4000) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now(); maxGap = Math.max(maxGap, now - last);
        if (now - last > 150) { const s = window.roster.stats(); gaps.push({ at: Math.round(last - t0), gap: Math.round(now - last), saved: s.savedRevision === s.revision, job: s.job && s.job.title }); }
        last = now; n++;
      }
      const s = window.roster.stats();
      return { view, frames: n, maxFrameGapMs: Math.round(maxGap), p95Ms: s.frame.p95Ms, parts: s.frameParts, job: s.job && s.job.title, gaps };
    }, view);
    await page.screenshot({ path: path.join(ROOT, 'build', 'bench', `view-${view}.png`) });
    console.log(JSON.stringify(r));
  }
} finally {
  await close();
}
