// Shared helpers for the browser tests: a static server on loopback and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../scripts/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const SITE = path.join(ROOT, 'build', 'web');
export const CHROMIUM = process.env.ROSTER_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-features=Translate,MediaRouter,OptimizationHints', '--password-store=basic',
];

export async function startServer(dir = SITE) {
  const server = createServer(dir);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}/`, port, close: () => new Promise((r) => server.close(r)) };
}

export function tempProfile(prefix = 'roster-profile-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// A persistent context (a real profile directory): closing and relaunching with the same
// directory is a browser restart.
export async function launch(profileDir, opts = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS.concat(opts.args || []),
    viewport: opts.viewport || { width: 1400, height: 860 },
    deviceScaleFactor: opts.deviceScaleFactor || 1,
    acceptDownloads: true,
  });
  return context;
}

// Opens the app and waits for roster.ready. Records console errors and every request.
export async function openApp(context, url, opts = {}) {
  const page = context.pages()[0] || (await context.newPage());
  const log = { errors: [], requests: [], console: [] };
  page.on('pageerror', (e) => { log.errors.push(String(e)); if (process.env.ROSTER_DEBUG) console.error(e.stack); });
  page.on('console', (m) => { log.console.push(`${m.type()}: ${m.text()}`); });
  page.on('request', (r) => log.requests.push(r.url()));
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => window.roster.ready);
  page.rosterLog = log;
  return page;
}

export async function screenshot(page, name) {
  const dir = path.join(ROOT, 'build', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  return file;
}

// Decodes an 8-bit RGB/RGBA PNG (what Chromium screenshots are) into {width, height, channels, data}.
import zlib from 'node:zlib';
export function decodePng(buf) {
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { width = body.readUInt32BE(0); height = body.readUInt32BE(4); colorType = body[9]; if (body[8] !== 8) throw new Error('bit depth'); }
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const ch = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 0 ? 1 : 0;
  if (!ch) throw new Error('unsupported PNG color type ' + colorType);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * ch, out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= ch ? out[y * stride + x - ch] : 0, b = y ? out[(y - 1) * stride + x] : 0, c = x >= ch && y ? out[(y - 1) * stride + x - ch] : 0;
      let v = line[x];
      if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      out[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels: ch, data: out };
}

// Summary of a screenshot: how many distinct colours and how much of it is not the background.
export function imageStats(png) {
  const { width, height, channels, data } = decodePng(png);
  const colors = new Set();
  const bg = [data[0], data[1], data[2]];
  let differing = 0;
  for (let i = 0; i < width * height; i++) {
    const o = i * channels, r = data[o], g = data[o + 1], b = data[o + 2];
    if (i % 7 === 0) colors.add((r << 16) | (g << 8) | b);
    if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 30) differing++;
  }
  return { width, height, distinctColors: colors.size, nonBackgroundFraction: differing / (width * height) };
}
