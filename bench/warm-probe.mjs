// Probe (not part of the bench): three applyImport runs in ONE page, an undo (back to the empty
// directory) and a flush between them, to see what the import costs once the WASM heap's pages are
// already touched, as Papa.parse's later runs are. Usage: node bench/warm-probe.mjs [CSV]
import path from 'node:path';
import { ROOT } from '../tests/browser/harness.mjs';
import { openProbePage } from './probe-page.mjs';

const CSV = path.resolve(process.argv[2] || path.join(ROOT, 'build', 'bench', 'sei-1000000.csv'));
const { page, close } = await openProbePage({ benchDir: path.dirname(CSV), tag: 'warm' });
try {
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
  await close();
}
