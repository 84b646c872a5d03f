#!/usr/bin/env node
// Draws the Roster app icons and writes them as PNG files:
//   web/icons/icon-192.png, web/icons/icon-512.png,
//   web/icons/icon-maskable-512.png, web/favicon.png (32x32).
//
//   node scripts/gen-icons.mjs [--out-dir DIR]   (DIR defaults to ./web)
//
// A deep indigo rounded square with a white "roster" glyph: three rows, each
// an avatar circle and a name bar. Antialiased by 4x4 supersampling. The PNG
// encoder (RGBA, filter 0, zlib, CRC-32) is written here with node built-ins.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

// ------------------------------------------------------------------- PNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf, crc = 0xffffffff) {
  for (let i = 0; i < buf.length; i++) crc = CRC_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(td) ^ 0xffffffff) >>> 0);
  return Buffer.concat([len, td, crc]);
}

// rgba: Uint8Array of w*h*4, straight (not premultiplied) alpha.
export function encodePng(w, h, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;  // bit depth
  ihdr[9] = 6;  // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc(h * (1 + w * 4));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 4)] = 0; // filter type 0 (None)
    Buffer.from(rgba.buffer, rgba.byteOffset + y * w * 4, w * 4).copy(raw, y * (1 + w * 4) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- shapes

// All geometry is in unit coordinates: (0,0) top-left, (1,1) bottom-right.
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = x < x0 + r ? x0 + r : x > x1 - r ? x1 - r : x;
  const cy = y < y0 + r ? y0 + r : y > y1 - r ? y1 - r : y;
  const dx = x - cx, dy = y - cy;
  return dx * dx + dy * dy <= r * r;
}
function inCircle(x, y, cx, cy, r) {
  const dx = x - cx, dy = y - cy;
  return dx * dx + dy * dy <= r * r;
}

const BG_TOP = [0x45, 0x4a, 0xb4];    // indigo, a little lighter at the top
const BG_BOTTOM = [0x34, 0x37, 0x8e]; // ... and deeper at the bottom (#3B3F9E in the middle)
const WHITE = [0xff, 0xff, 0xff];
const SOFT = [0xd9, 0xdc, 0xff];      // the bars: white with a hint of indigo

// The glyph in its own box [0,1]^2: three rows of avatar + bar.
const ROWS = [
  { cy: 0.17, bar: 0.96 },
  { cy: 0.50, bar: 0.80 },
  { cy: 0.83, bar: 0.90 },
];
// Returns WHITE/SOFT for glyph ink, BG for a cut-out showing the background,
// null outside the glyph. With `people`, each avatar is a white disc with a
// head-and-shoulders silhouette cut out of it (too fine for a favicon).
const BG = 'bg';
function glyphAt(u, v, people) {
  for (const row of ROWS) {
    if (inCircle(u, v, 0.13, row.cy, 0.13)) {
      if (people) {
        const head = inCircle(u, v, 0.13, row.cy - 0.035, 0.047);
        const du = (u - 0.13) / 0.085, dv = (v - (row.cy + 0.105)) / 0.075;
        const shoulders = du * du + dv * dv <= 1;
        if (head || shoulders) return BG;
      }
      return WHITE;
    }
    const h = 0.075;
    if (inRoundRect(u, v, 0.36, row.cy - h, row.bar, row.cy + h, h)) return SOFT;
  }
  return null;
}

// style: { bleed: full-bleed square background (maskable) or rounded square,
//          inset: margin of the rounded square, radius, glyph: glyph box size }
function render(size, style) {
  const SS = 4;
  const px = new Uint8Array(size * size * 4);
  const g0 = (1 - style.glyph) / 2;
  // The glyph's rows are vertically centred; nudge it right a hair so the
  // visual weight (circles on the left) balances.
  const gx = g0 + style.glyph * 0.01;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const ux = (x + (sx + 0.5) / SS) / size;
          const uy = (y + (sy + 0.5) / SS) / size;
          const inBg = style.bleed ||
            inRoundRect(ux, uy, style.inset, style.inset, 1 - style.inset, 1 - style.inset, style.radius);
          if (!inBg) continue;
          let c = glyphAt((ux - gx) / style.glyph, (uy - g0) / style.glyph, style.people);
          if (!c || c === BG) {
            const t = uy;
            c = [0, 1, 2].map((k) => BG_TOP[k] + (BG_BOTTOM[k] - BG_TOP[k]) * t);
          }
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) { // average of the covered samples, alpha = coverage
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
        px[o + 3] = Math.round((a / (SS * SS)) * 255);
      }
    }
  }
  return encodePng(size, size, px);
}

// ------------------------------------------------------------------ main

function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let outDir = path.join(here, '..', 'web');
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir' && i + 1 < argv.length) outDir = argv[++i];
    else if (argv[i].startsWith('--out-dir=')) outDir = argv[i].slice('--out-dir='.length);
    else { process.stderr.write('usage: node scripts/gen-icons.mjs [--out-dir DIR]\n'); process.exit(2); }
  }

  const ICON = { bleed: false, inset: 0.03, radius: 0.21, glyph: 0.56, people: true };
  const MASKABLE = { bleed: true, glyph: 0.5, people: true }; // glyph box diagonal 0.71 < 0.8 safe-zone circle
  const FAVICON = { bleed: false, inset: 0, radius: 0.2, glyph: 0.72, people: false };

  const outputs = [
    ['icons/icon-192.png', 192, ICON],
    ['icons/icon-512.png', 512, ICON],
    ['icons/icon-maskable-512.png', 512, MASKABLE],
    ['favicon.png', 32, FAVICON],
  ];
  fs.mkdirSync(path.join(outDir, 'icons'), { recursive: true });
  for (const [name, size, style] of outputs) {
    const png = render(size, style);
    const file = path.join(outDir, name);
    fs.writeFileSync(file, png);
    process.stderr.write(`gen-icons: ${path.relative(process.cwd(), file)} ${size}x${size} ${png.length} bytes\n`);
  }
}

// Run only when executed directly, so encodePng can be imported.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
