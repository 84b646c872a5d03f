// Several files as one import (issue 17): files dropped or picked together, a .zip of them (unpacked
// in the page with fflate) and roster.previewImport({files}) all hand the core ONE bundle:
// "\0RSTR-FILES\n", then per file u32 LE name length, name (UTF-8), u32 LE data length, data.
// The bytes that reach C++ are recorded (Module.rosterCall for the page's opened files, Module.ccall
// for the API) and decoded here by this file's own reader; the core reads a bundle of one CSV of
// people as that CSV. With the core's DevLake reader, the dropped DevLake files open as a pending
// import of the "devlake" format (written, skipped until then).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync, strToU8 } from 'fflate';
import { startServer, launch, openApp, tempProfile } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

// The <input type=file> picker (the File System Access API's cannot be answered headless).
const noFsAccess = () => { window.showOpenFilePicker = undefined; window.showSaveFilePicker = undefined; };
const frames = (p, n = 2) => p.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);

// The bundle as the core reads it; null when malformed.
function decodeBundle(bytes) {
  const b = Buffer.from(bytes);
  if (b.length < 12 || b.toString('latin1', 0, 12) !== '\0RSTR-FILES\n') return null;
  const files = [];
  let at = 12;
  while (at < b.length) {
    const nn = b.readUInt32LE(at);
    const name = b.toString('utf8', at + 4, at + 4 + nn);
    at += 4 + nn;
    const dn = b.readUInt32LE(at);
    if (at + 4 + dn > b.length) return null;
    files.push({ name, data: b.subarray(at + 4, at + 4 + dn) });
    at += 4 + dn;
  }
  return files;
}

// Records what the page hands C++ as an opened file: [{name, bytes}].
const RECORD = () => {
  window.__opened = [];
  const call = Module.rosterCall;
  Module.rosterCall = function (kind, meta, bytes) {
    if (kind === 'openedFile') window.__opened.push({ name: meta.name, bytes: bytes ? Array.from(bytes) : null });
    return call.apply(this, arguments);
  };
};

// Drops files on the page as one drag: [{name, data: string | number[] (bytes), type}].
async function drop(page, files) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([typeof f.data === 'string' ? f.data : new Uint8Array(f.data)], f.name, { type: f.type || '' }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
}
async function nextOpened(page, n) {
  await page.waitForFunction((n) => window.__opened.length >= n, n, { timeout: 20000 });
  return page.evaluate((n) => window.__opened[n - 1], n);
}

// Two people in a two-level tree, exported as DevLake's files.
async function devlakeFiles(page) {
  return page.evaluate(() => {
    roster.command({ op: 'addAttribute', key: 'teams', label: 'Teams', type: 'text' });
    roster.command({ op: 'addIntegration', name: 'GitHub', kind: 'scm' });
    for (const [name, teams] of [['Ada Lovelace', 'Core'], ['Grace Hopper', 'Platform;Core']]) {
      const login = name.split(' ')[0].toLowerCase();
      const id = roster.command({ op: 'addUser', name, email: login + '@example.com' }).id;
      roster.command({ op: 'setAttribute', ids: [id], key: 'teams', value: teams });
      roster.command({ op: 'addIdentity', id, integration: 'GitHub', accountId: login + '-gh' });
    }
    roster.command({ op: 'saveOrgUnit', name: 'Platform', filter: { attribute: 'teams', op: 'hasItem', value: 'platform' } });
    roster.command({ op: 'saveOrgUnit', name: 'Core', parent: 'Platform', filter: { attribute: 'teams', op: 'hasItem', value: 'core' } });
    return roster.export({ format: 'devlake' }).files;
  });
}

const same = (got, files) => {
  assert.ok(got, 'a well-formed bundle');
  assert.deepEqual(got.map((f) => f.name), files.map((f) => f.name));
  for (const [i, f] of files.entries()) assert.ok(got[i].data.equals(Buffer.from(f.text, 'utf8')), `${f.name} byte for byte`);
};

test('files dropped or picked together, a dropped .zip of them and previewImport({files}) reach the core as one bundle', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    const files = await devlakeFiles(page);
    assert.deepEqual(files.map((f) => f.name), ['users.csv', 'teams.csv', 'user_account_mapping.csv']);
    await page.evaluate(RECORD);

    // Two files dropped at once: one opened file, named after both.
    await drop(page, files.slice(0, 2).map((f) => ({ name: f.name, data: f.text, type: 'text/csv' })));
    let opened = await nextOpened(page, 1);
    assert.equal(opened.name, 'users.csv + teams.csv');
    same(decodeBundle(opened.bytes), files.slice(0, 2));
    await page.evaluate(() => roster.cancelImport());

    // A zip of the three in a folder, with what macOS and editors add: only the three files, by their names.
    const zip = zipSync({
      'org/': new Uint8Array(0),
      ...Object.fromEntries(files.map((f) => ['org/' + f.name, strToU8(f.text)])),
      '__MACOSX/org/._users.csv': strToU8('resource fork'),
      'org/.DS_Store': strToU8('finder'),
    });
    await drop(page, [{ name: 'devlake-org.zip', data: Array.from(zip), type: 'application/zip' }]);
    opened = await nextOpened(page, 2);
    assert.equal(opened.name, 'devlake-org.zip: users.csv + teams.csv + user_account_mapping.csv');
    same(decodeBundle(opened.bytes), files);
    await page.evaluate(() => roster.cancelImport());

    // A zip known by its first bytes (saved without .zip), holding one file and a .mailmap: both kept.
    const zip2 = zipSync({ 'users.csv': strToU8(files[0].text), '.mailmap': strToU8('Ada <ada@example.com> <ada@old.example.com>\n'), '.hidden': strToU8('x') });
    await drop(page, [{ name: 'download', data: Array.from(zip2) }]);
    opened = await nextOpened(page, 3);
    assert.equal(opened.name, 'download: users.csv + .mailmap');
    same(decodeBundle(opened.bytes), [files[0], { name: '.mailmap', text: 'Ada <ada@example.com> <ada@old.example.com>\n' }]);
    await page.evaluate(() => roster.cancelImport());

    // One file that is not a zip goes as it is, as before.
    await drop(page, [{ name: 'users.csv', data: files[0].text, type: 'text/csv' }]);
    opened = await nextOpened(page, 4);
    assert.equal(opened.name, 'users.csv');
    assert.equal(Buffer.from(opened.bytes).toString('utf8'), files[0].text);
    await page.evaluate(() => roster.cancelImport());

    // Two files picked at once with the file chooser (Ctrl+O; <input multiple>): one bundle too.
    const chooserPromise = page.waitForEvent('filechooser', { timeout: 15000 });
    await frames(page, 1);
    await page.mouse.click(700, 400);
    await page.keyboard.press('Control+O');
    const chooser = await chooserPromise;
    assert.equal(chooser.isMultiple(), true, 'the picker takes several files');
    await chooser.setFiles(files.slice(1).map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.from(f.text) })));
    opened = await nextOpened(page, 5);
    assert.equal(opened.name, 'teams.csv + user_account_mapping.csv');
    same(decodeBundle(opened.bytes), files.slice(1));
    await page.evaluate(() => roster.cancelImport());

    // A broken zip is refused with a toast; nothing reaches the core.
    await drop(page, [{ name: 'broken.zip', data: [0x50, 0x4b, 3, 4, 1, 2, 3] }]);
    await page.waitForFunction(() => /broken\.zip could not be unpacked/.test(roster.ui('state').toast || ''), null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__opened.length), 5);

    // The API: {files: [{name, data}]} with a string, a Uint8Array and an ArrayBuffer, as one bundle.
    const sent = await page.evaluate((files) => {
      const seen = [];
      const ccall = Module.ccall;
      Module.ccall = function (name, ret, types, args) {
        if (name === 'roster_api' && args[3]) seen.push(Array.from(Module.HEAPU8.subarray(args[2] >>> 0, (args[2] >>> 0) + args[3])));
        return ccall.apply(this, arguments);
      };
      try {
        const enc = new TextEncoder();
        roster.previewImport({ files: [{ name: files[0].name, data: files[0].text }, { name: files[1].name, data: enc.encode(files[1].text) },
          { name: files[2].name, data: enc.encode(files[2].text).buffer }] }, { mode: 'update' });
        const bad = roster.previewImport({ files: [{ name: 'x.csv', data: 42 }] });
        return { seen, bad };
      } finally { Module.ccall = ccall; }
    }, files);
    assert.equal(sent.seen.length, 1, 'only the well-formed call reaches C++');
    same(decodeBundle(sent.seen[0]), files);
    assert.equal(sent.bad.ok, false);
    assert.equal(sent.bad.error.code, 'INVALID_ARGUMENT');
    assert.match(sent.bad.error.message, /files\[0\]\.data \(x\.csv\)/);

    // The core reads the bundle: one CSV of people given as {files} imports as that CSV.
    const one = await page.evaluate(() => roster.applyImport({ files: [{ name: 'people.csv', data: 'Name,Email\nAlan Turing,alan@example.com\n' }] }, { mode: 'update' }));
    assert.equal(one.applied, true, JSON.stringify(one.errors));
    assert.equal(one.format, 'sei');
    assert.deepEqual(one.added, [{ name: 'Alan Turing', email: 'alan@example.com' }]);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally {
    await ctx.close();
  }
});

// The final behaviour with the core's DevLake reader: the dropped files and the zip are a DevLake import.
test('DevLake files dropped together, or as a .zip, open as a pending import of the devlake format', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const files = await devlakeFiles(page);
    for (const dropped of [
      files.map((f) => ({ name: f.name, data: f.text, type: 'text/csv' })),
      [{ name: 'devlake.zip', data: Array.from(zipSync(Object.fromEntries(files.map((f) => [f.name, strToU8(f.text)])))), type: 'application/zip' }],
    ]) {
      await drop(page, dropped);
      await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 20000 });
      await frames(page, 3);
      const plan = await page.evaluate(() => roster.pendingImport());
      assert.equal(plan.format, 'devlake', JSON.stringify(plan).slice(0, 400));
      assert.deepEqual(plan.errors, []);
      // The same directory: nothing to add.
      assert.equal(plan.counts.added, 0, JSON.stringify(plan.counts));
      await page.evaluate(() => roster.cancelImport());
    }
    const api = await page.evaluate((files) => roster.previewImport({ files: files.map((f) => ({ name: f.name, data: f.text })) }, { mode: 'update' }), files);
    assert.equal(api.format, 'devlake');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally {
    await ctx.close();
  }
});

// What the core reads already: a .zip holding a .mailmap (with what macOS adds) opens as that
// .mailmap, and {files} of one .mailmap is the same import through the API.
test('a dropped .zip holding a .mailmap opens as a git .mailmap import; {files} of one .mailmap too', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(() => roster.command({ op: 'addUser', name: 'Ada Lovelace', email: 'ada@example.com' }));
    const MAILMAP = 'Ada Lovelace <ada@example.com> <ada@old.example.com>\n';
    const zip = zipSync({ 'repo/.mailmap': strToU8(MAILMAP), '__MACOSX/repo/._.mailmap': strToU8('fork'), 'repo/.DS_Store': strToU8('x') });
    await drop(page, [{ name: 'repo.zip', data: Array.from(zip), type: 'application/zip' }]);
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 20000 });
    const plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.fileName, '.mailmap');
    assert.equal(plan.format, 'mailmap', JSON.stringify(plan).slice(0, 400));
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.counts.aliases, 1, JSON.stringify(plan.counts));
    await page.evaluate(() => roster.cancelImport());
    const api = await page.evaluate((m) => roster.applyImport({ files: [{ name: '.mailmap', data: m }] }, { mode: 'update' }), MAILMAP);
    assert.equal(api.format, 'mailmap');
    assert.equal(api.applied, true, JSON.stringify(api.errors));
    const ada = await page.evaluate(() => roster.snapshot().users.find((u) => u.email === 'ada@example.com'));
    assert.deepEqual(ada.aliases, ['ada@old.example.com']);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally {
    await ctx.close();
  }
});
