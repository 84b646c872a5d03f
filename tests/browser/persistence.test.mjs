// Persistence: a save writes only the files it changed to IndexedDB (IDBFS's records), in one
// transaction, and what is stored always matches what a reload reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

// Records every put/delete on IDBFS's object store and every readwrite transaction.
const SPY = `(() => {
  window.__idb = { puts: [], deletes: [], rwTransactions: 0, cursors: 0 };
  const kc = IDBIndex.prototype.openKeyCursor, oc = IDBObjectStore.prototype.openCursor;
  IDBIndex.prototype.openKeyCursor = function () { window.__idb.cursors++; return kc.apply(this, arguments); };
  IDBObjectStore.prototype.openCursor = function () { window.__idb.cursors++; return oc.apply(this, arguments); };
  const put = IDBObjectStore.prototype.put, del = IDBObjectStore.prototype.delete, tx = IDBDatabase.prototype.transaction;
  IDBObjectStore.prototype.put = function (v, k) { if (this.name === 'FILE_DATA') window.__idb.puts.push(String(k)); return put.apply(this, arguments); };
  IDBObjectStore.prototype.delete = function (k) { if (this.name === 'FILE_DATA') window.__idb.deletes.push(String(k)); return del.apply(this, arguments); };
  IDBDatabase.prototype.transaction = function (s, mode) { if (mode === 'readwrite' && this.name === '/data') window.__idb.rwTransactions++; return tx.apply(this, arguments); };
})();`;

// What IndexedDB holds under /data/roster: {path: {mode, bytes}}.
const STORED = async () => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('/data'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const t = db.transaction(['FILE_DATA'], 'readonly').objectStore('FILE_DATA');
  const keys = await new Promise((res) => { const r = t.getAllKeys(); r.onsuccess = () => res(r.result); });
  const vals = await new Promise((res) => { const r = t.getAll(); r.onsuccess = () => res(r.result); });
  db.close();
  const out = {};
  keys.forEach((k, i) => { out[k] = { mode: vals[i].mode, bytes: vals[i].contents ? vals[i].contents.length : null, ts: vals[i].timestamp.getTime() }; });
  return out;
};

function csv(n) {
  const rows = ['Full_Name,Email,Team_name,Integration: Github'];
  for (let i = 0; i < n; i++) rows.push(`Person ${i},p${i}@example.com,Team ${i % 17},gh-${i}`);
  return rows.join('\r\n');
}

test('one edit puts only its user chunk and the manifests into IndexedDB, in one transaction; a reload shows it', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let stored;
  try {
    const page = await openApp(ctx, srv.url, { initScript: SPY });
    const first = await page.evaluate(async (text) => {
      roster.applyImport(text, { mode: 'update' });
      await roster.flush();
      return { idb: window.__idb, files: FS.readdir('/data/roster').filter((n) => n[0] !== '.') };
    }, csv(40000));
    // The first save writes every file once (3 user chunks, 2 identity chunks, aliases, manifest).
    assert.ok(first.files.length >= 7, JSON.stringify(first.files));
    for (const f of first.files) assert.ok(first.idb.puts.includes('/data/roster/' + f), `${f} was stored`);

    const r = await page.evaluate(async () => {
      window.__idb.puts = []; window.__idb.deletes = []; window.__idb.rwTransactions = 0; window.__idb.cursors = 0;
      const e = roster.command({ op: 'updateUser', id: 'u20000', name: 'Edited once' });
      await roster.flush();
      return { ok: e.ok, idb: window.__idb, files: FS.readdir('/data/roster').filter((n) => n[0] !== '.').sort() };
    });
    assert.equal(r.ok, true);
    assert.equal(r.idb.rwTransactions, 1, 'one readwrite transaction');
    assert.equal(r.idb.cursors, 0, 'no listing of the stored files');
    const chunk = r.idb.puts.filter((p) => /\/users-\d+\.\d+\.bin$/.test(p));
    assert.equal(chunk.length, 1, JSON.stringify(r.idb.puts));
    assert.match(chunk[0], /\/users-1\.\d+\.bin$/, 'slot 19999 lives in user chunk 1');
    assert.deepEqual(r.idb.puts.filter((p) => !p.endsWith('.bin')), ['/data/roster', '/data/roster/manifest.prev.json', '/data/roster/manifest.json']);
    assert.deepEqual(r.idb.deletes, []);

    // A second edit of the same chunk deletes the chunk only the oldest manifest needed.
    const r2 = await page.evaluate(async () => {
      window.__idb.puts = []; window.__idb.deletes = [];
      roster.command({ op: 'updateUser', id: 'u20001', name: 'Edited twice' });
      await roster.flush();
      return window.__idb;
    });
    assert.equal(r2.puts.filter((p) => p.endsWith('.bin')).length, 1);
    assert.equal(r2.deletes.length, 1);
    assert.match(r2.deletes[0], /\/users-1\.\d+\.bin$/);

    // IndexedDB holds exactly MEMFS's files, with IDBFS's timestamps (so FS.syncfs finds nothing to do).
    stored = await page.evaluate(STORED);
    const memfs = await page.evaluate(() => FS.readdir('/data/roster').filter((n) => n[0] !== '.').map((n) => {
      const st = FS.stat('/data/roster/' + n);
      return ['/data/roster/' + n, { mode: st.mode, bytes: st.size, ts: st.mtime.getTime() }];
    }));
    const storedFiles = Object.fromEntries(Object.entries(stored).filter(([k]) => k !== '/data/roster'));
    assert.deepEqual(storedFiles, Object.fromEntries(memfs));
    const again = await page.evaluate(async () => {
      window.__idb.puts = [];
      await new Promise((res) => FS.syncfs(false, res));
      return window.__idb.puts.filter((p) => p !== '/data/roster');
    });
    assert.deepEqual(again, [], 'IDBFS finds every file up to date');
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const names = await page.evaluate(() => ({
      a: roster.query({ attribute: 'name', op: 'equals', value: 'Edited once' }),
      b: roster.query({ attribute: 'name', op: 'equals', value: 'Edited twice' }),
      users: roster.stats().users,
      banner: roster.ui('state').banner,
    }));
    assert.deepEqual(names.a, ['u20000']);
    assert.deepEqual(names.b, ['u20001']);
    assert.equal(names.users, 40000);
    assert.ok(!names.banner, names.banner);
  } finally { await ctx.close(); }
});

test('after an aborted save the next one writes everything the failed one had, and a reload reads it', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url, { initScript: SPY });
    await page.evaluate(async (text) => { roster.applyImport(text, { mode: 'update' }); await roster.flush(); }, csv(20000));
    const r = await page.evaluate(async () => {
      Module.rosterFailNextSync = 'once';
      roster.command({ op: 'updateUser', id: 'u1', name: 'Lost?' });
      let code = null;
      try { await roster.flush(); } catch (e) { code = e.code; }
      const failedChunk = FS.readdir('/data/roster').filter((n) => /^users-0\./.test(n));
      window.__idb.puts = [];
      roster.command({ op: 'updateUser', id: 'u19000', name: 'Other chunk' });
      await roster.flush();
      return { code, puts: window.__idb.puts, failedChunk };
    });
    assert.equal(r.code, 'SAVE_ABORTED');
    const bins = r.puts.filter((p) => p.endsWith('.bin')).map((p) => p.replace(/^.*\//, '').replace(/\.\d+\.bin$/, ''));
    assert.deepEqual(bins.sort(), ['users-0', 'users-1'], 'the failed save\'s chunk is written again with the new one');
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => ({
      a: roster.query({ attribute: 'name', op: 'equals', value: 'Lost?' }),
      b: roster.query({ attribute: 'name', op: 'equals', value: 'Other chunk' }),
    }));
    assert.deepEqual(r, { a: ['u1'], b: ['u19000'] });
  } finally { await ctx.close(); }
});
