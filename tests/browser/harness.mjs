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
    // The system's preferences as the page sees them (prefers-color-scheme, -contrast, -reduced-motion).
    colorScheme: opts.colorScheme || 'dark',   // (the app's look before issue 19 for the tests that do not ask)
    ...(opts.contrast ? { contrast: opts.contrast } : {}),
    ...(opts.reducedMotion ? { reducedMotion: opts.reducedMotion } : {}),
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

// ---- Measuring what a view drew. Screenshots are in device pixels; rects are {x, y, w, h} in
// device pixels too (CSS pixels times the dpr).

const asImage = (png) => (png && png.data && png.width ? png : decodePng(Buffer.isBuffer(png) ? png : fs.readFileSync(png)));
const clampRect = (img, r) => {
  const x0 = Math.max(0, Math.round(r.x)), y0 = Math.max(0, Math.round(r.y));
  const x1 = Math.min(img.width, Math.round(r.x + r.w)), y1 = Math.min(img.height, Math.round(r.y + r.h));
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
};
// A pixel is ink when it differs from the background by more than this (sum over R, G, B): text and
// lines are, the alternate row tint of a table (~6 per channel) is not.
export const INK = 60;

// The background of a region (its most common colour) and its ink: pixels differing from it.
// inkLeft/inkRight/inkTop/inkBottom bound the ink (-1 when there is none).
export function regionStats(png, rect) {
  const img = asImage(png), { channels: ch, data, width } = img;
  const { x0, y0, x1, y1 } = clampRect(img, rect);
  const counts = new Map();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const o = (y * width + x) * ch, k = (data[o] << 16) | (data[o + 1] << 8) | data[o + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let bgKey = 0, best = -1;
  for (const [k, n] of counts) if (n > best) { best = n; bgKey = k; }
  const bg = [bgKey >> 16, (bgKey >> 8) & 255, bgKey & 255];
  let ink = 0, inkLeft = -1, inkRight = -1, inkTop = -1, inkBottom = -1;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const o = (y * width + x) * ch;
    if (Math.abs(data[o] - bg[0]) + Math.abs(data[o + 1] - bg[1]) + Math.abs(data[o + 2] - bg[2]) <= INK) continue;
    ink++;
    if (inkLeft < 0 || x < inkLeft) inkLeft = x;
    if (x > inkRight) inkRight = x;
    if (inkTop < 0) inkTop = y;
    inkBottom = y;
  }
  const area = (x1 - x0) * (y1 - y0);
  return { rect: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, bg, distinctColors: counts.size, ink, inkFraction: area ? ink / area : 0,
    inkLeft, inkRight, inkTop, inkBottom, inkWidth: inkLeft < 0 ? 0 : inkRight - inkLeft + 1 };
}

// The separate horizontal bands of ink in a region (text lines, table rows, list items). A pixel
// counts when it differs by more than INK from its left neighbour (an edge across a row: glyphs
// have many, a border or a filled box only two), minus edges that run down more than `maxRun`
// pixels (pane borders, column rules, scrollbars, the sides of highlighted rows and buttons, so
// the text inside them still counts). A band is a run of pixel rows with at least `minInk` such
// edges, split from the next by at least one row without; bands thinner than `minHeight` are left
// out. `maxRun` and `minHeight` are CSS pixels, times opts.scale (the dpr times the UI scale).
// Each band is {top, bottom, height, left, right, edges} in device pixels.
export function inkBands(png, rect, opts = {}) {
  const img = asImage(png), { channels: ch, data, width } = img;
  const { x0, y0, x1, y1 } = clampRect(img, rect);
  const w = x1 - x0, h = y1 - y0;
  const k = opts.scale ?? 1, minInk = opts.minInk ?? 2, minHeight = (opts.minHeight ?? 3) * k, maxRun = (opts.maxRun ?? 24) * k;
  const edge = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0 + 1; x < x1; x++) {
    const o = (y * width + x) * ch, p = o - ch;
    if (Math.abs(data[o] - data[p]) + Math.abs(data[o + 1] - data[p + 1]) + Math.abs(data[o + 2] - data[p + 2]) > INK) edge[(y - y0) * w + (x - x0)] = 1;
  }
  for (let x = 0; x < w; x++) {   // drop long vertical runs
    let start = -1;
    for (let y = 0; y <= h; y++) {
      const on = y < h && edge[y * w + x];
      if (on && start < 0) start = y;
      if (!on && start >= 0) { if (y - start > maxRun) for (let k = start; k < y; k++) edge[k * w + x] = 0; start = -1; }
    }
  }
  const bands = [];
  let band = null;
  for (let y = 0; y <= h; y++) {
    let n = 0, left = -1, right = -1;
    if (y < h) for (let x = 0; x < w; x++) if (edge[y * w + x]) { n++; if (left < 0) left = x; right = x; }
    if (n >= minInk) {
      if (!band) band = { top: y0 + y, bottom: y0 + y, left: x0 + left, right: x0 + right, edges: 0 };
      band.bottom = y0 + y; band.left = Math.min(band.left, x0 + left); band.right = Math.max(band.right, x0 + right); band.edges += n;
    } else if (band) {
      band.height = band.bottom - band.top + 1;
      if (band.height >= minHeight) bands.push(band);
      band = null;
    }
  }
  return bands;
}

// Where the app's panes are, in device pixels, worked out from roster.ui('state') the way
// AppUI::Draw lays them out (src/ui/app_ui.cpp, theme.cpp: 15 px font, WindowPadding 12x10,
// FramePadding 8x5, ItemSpacing 9, navigation 13.5 em, editor 26 % of the width within 18..30 em,
// shown in the Users view when the directory has people). Each rect is inset by `inset` CSS px
// to stay clear of the panes' borders and rounded corners. Pass editor: true when the editor pane
// is shown (else `editor` is null and the main pane reaches the right edge).
export function appLayout(state, { editor = false, inset = 6 } = {}) {
  const s = (state.scale || 1) * state.dpr, W = state.width, H = state.height, font = 15 * s;
  const menuH = font + 2 * 5 * s, statusH = font + 4 * 5 * s;
  const top = menuH + 10 * s, bottom = H - statusH - 10 * s;
  const navLeft = 12 * s, navRight = navLeft + 13.5 * font;
  const editorW = Math.min(Math.max(W * 0.26, 18 * font), 30 * font);
  const editorLeft = W - 12 * s - editorW;
  const mainLeft = navRight + 9 * s, mainRight = editor ? editorLeft - 9 * s : W - 12 * s;
  const d = inset * s;
  const rect = (x0, x1) => ({ x: x0 + d, y: top + d, w: x1 - x0 - 2 * d, h: bottom - top - 2 * d });
  return { scale: s, nav: rect(navLeft, navRight), main: rect(mainLeft, mainRight), editor: editor ? rect(editorLeft, W - 12 * s) : null };
}

// The Users table's rows as drawn: for each row in `table` (roster.ui({action:'usersTable'}): ids
// of the visible rows, rowsTop, rowPitch, left and the columns, all in device pixels) the ink in
// the name column inside that row's band (regionStats against the band's own background, so the
// stripes and a selected row's highlight are not ink), and the ink in the band after the last row.
export function usersTableInk(png, table, { scale = 1 } = {}) {
  const img = asImage(png);
  const pad = 8 * scale;   // CellPadding.x
  let x = table.left;
  for (const c of table.columns) { if (c.key === 'name') break; x += c.width + 2 * pad + scale; }
  const name = table.columns.find((c) => c.key === 'name');
  if (!name) throw new Error('no name column in ' + JSON.stringify(table.columns));
  const band = (i) => ({ x: x + 2 * scale, y: table.rowsTop + i * table.rowPitch + 2 * scale, w: name.width + pad - 6 * scale, h: table.rowPitch - 4 * scale });
  const rows = table.ids.map((id, i) => ({ id, ...regionStats(img, band(i)) }));
  const after = table.ids.length < table.visibleRows ? regionStats(img, band(table.ids.length)) : null;
  return { rows, after };
}
