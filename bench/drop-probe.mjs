// Probe (not part of the bench): the import as a person does it at 1M rows: the file dropped on the
// page (read and checked as a job with progress), then "Apply import" in the dialog (applied as a
// job). Reports the time of each part, the longest frame gap, and the WASM heap after each.
// Usage: node bench/drop-probe.mjs [--rows N]
import { openProbePage } from './probe-page.mjs';

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const ROWS = Number(arg('--rows', '1000000'));
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const { page, close } = await openProbePage({ tag: 'drop' });
try {
  await page.evaluate(async (u) => { window.__file = new File([await (await fetch(u)).arrayBuffer()], 'sei.csv', { type: 'text/csv' }); }, `/bench/sei-${ROWS}.csv`);
  // Waits a frame at a time until done(stats) holds; the wall time and the longest frame gap.
  const watch = (what, done) => page.evaluate(async ({ what, done }) => {
    const until = new Function('s', `return (${done})(s)`);
    const t0 = performance.now();
    let last = t0, maxGap = 0, frames = 0, prev = null;
    const gaps = [];
    let firstJobAt = null;
    if (what === 'drop') {
      const dt = new DataTransfer();
      dt.items.add(window.__file);
      const target = document.getElementById('canvas');
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    } else window.roster.ui({ action: 'applyImportDialog' });
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now(); maxGap = Math.max(maxGap, now - last);
      const s = window.roster.stats();
      // Gaps over 150 ms, with the job's phase before and after them.
      if (now - last > 150) gaps.push({ at: Math.round(last - t0), gap: Math.round(now - last), before: prev, after: s.job ? `${s.job.phase} ${s.job.done}/${s.job.total}` : 'no job' });
      prev = s.job ? `${s.job.phase} ${s.job.done}/${s.job.total} lastStep ${Math.round(s.job.lastStepMs)} ms` : 'no job';
      if (s.job && firstJobAt == null) firstJobAt = Math.round(now - t0);
      last = now; frames++;
      if (until(s)) return { ms: Math.round(now - t0), maxFrameGapMs: Math.round(maxGap), frames, heap: s.wasmHeapBytes, users: s.users, gaps, firstJobAt };
      if (now - t0 > 600000) return { timeout: true };
    }
  }, { what, done: done.toString() });
  const d = await watch('drop', (s) => !s.job && window.roster.pendingImport() !== null);
  console.log(`drop -> plan ready: ${d.ms} ms, longest frame gap ${d.maxFrameGapMs} ms over ${d.frames} frames, heap ${mib(d.heap)}; the job started after ${d.firstJobAt} ms`);
  for (const g of d.gaps) console.log('   ', JSON.stringify(g));
  const a = await watch('apply', (s) => !s.job && s.users > 0);
  console.log(`apply: ${a.ms} ms, longest frame gap ${a.maxFrameGapMs} ms over ${a.frames} frames, heap ${mib(a.heap)}, users ${a.users}`);
  for (const g of a.gaps) console.log('   ', JSON.stringify(g));
} finally {
  await close();
}
