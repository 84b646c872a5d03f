// Static server for the benchmark (loopback only): build/web at /, and the benchmark's own assets
// under /bench/ (the generated CSV files of build/bench and Papa Parse from node_modules), so the
// app page, its CSP ('self') and the assets share one origin.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.svg': 'image/svg+xml', '.ttf': 'font/ttf',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

// Maps a URL path to a file, or null. Nothing outside the three roots is reachable.
function resolve(p, { site, benchDir, papa }) {
  if (p === '/bench/papaparse.min.js') return papa;
  if (p.startsWith('/bench/')) {
    const name = p.slice('/bench/'.length);
    if (!/^sei-\d+(-nc)?\.csv$/.test(name)) return null;
    return path.join(benchDir, name);
  }
  if (p.endsWith('/')) p += 'index.html';
  const file = path.join(site, path.normalize(p));
  return file.startsWith(site + path.sep) ? file : null;
}

export function createBenchServer(opts = {}) {
  const roots = {
    site: path.resolve(opts.site || path.join(ROOT, 'build', 'web')),
    benchDir: path.resolve(opts.benchDir || path.join(ROOT, 'build', 'bench')),
    papa: path.resolve(opts.papa || path.join(ROOT, 'node_modules', 'papaparse', 'papaparse.min.js')),
  };
  return http.createServer((req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    const file = resolve(p, roots);
    if (!file) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, {
        'content-type': types[path.extname(file)] || 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
}

export async function startBenchServer(opts = {}) {
  const server = createBenchServer(opts);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
