// Reliability: two tabs, storage failures, kill during save, damaged and newer stored formats, CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, tempProfile, ROOT } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

async function openSecondTab(ctx, url) {
  const page = await ctx.newPage();
  page.rosterLog = { errors: [] };
  page.on('pageerror', (e) => page.rosterLog.errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
  await page.evaluate(() => roster.ready);
  return page;
}

test('two tabs: one edits, the other is read-only, follows saves and can take over', async () => {
  const ctx = await launch(tempProfile());
  try {
    const a = await openApp(ctx, srv.url);
    const b = await openSecondTab(ctx, srv.url);
    assert.equal((await a.evaluate(() => roster.ui('state'))).readOnly, false);
    const bs = await b.evaluate(() => roster.ui('state'));
    assert.equal(bs.readOnly, true);
    assert.match(bs.banner, /read-only/);
    const refused = await b.evaluate(() => roster.command({ op: 'addUser', name: 'B', email: 'b@example.com' }));
    assert.equal(refused.error.code, 'READ_ONLY');
    assert.equal(await b.evaluate(() => roster.undo()), false);
    // A edits and saves; B follows.
    await a.evaluate(async () => { roster.command({ op: 'addUser', name: 'Ada', email: 'ada@example.com' }); await roster.flush(); });
    await b.waitForFunction(() => roster.snapshot().users.length === 1, null, { timeout: 10000 });
    // B takes over: A saves and hands over, B reloads and edits.
    await a.evaluate(() => roster.command({ op: 'addUser', name: 'Grace', email: 'grace@example.com' }));
    await b.evaluate(() => window.rosterTabs.takeOver());
    await b.waitForFunction(() => roster.ui('state').readOnly === false, null, { timeout: 10000 });
    await a.waitForFunction(() => roster.ui('state').readOnly === true, null, { timeout: 10000 });
    const snapB = await b.evaluate(() => roster.snapshot());
    assert.deepEqual(snapB.users.map((u) => u.name), ['Ada', 'Grace'], 'the edit made in A before the hand-over is not lost');
    const okB = await b.evaluate(() => roster.command({ op: 'addUser', name: 'Bob', email: 'bob@example.com' }));
    assert.equal(okB.ok, true);
    const refusedA = await a.evaluate(() => roster.command({ op: 'addUser', name: 'X', email: 'x@example.com' }));
    assert.equal(refusedA.error.code, 'READ_ONLY');
    await b.evaluate(() => roster.flush());
    await a.waitForFunction(() => roster.snapshot().users.length === 3, null, { timeout: 10000 });
  } finally { await ctx.close(); }
});

test('a failing IndexedDB write: flush rejects with a code, the status bar says why, the next save writes everything', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(async () => { roster.command({ op: 'addUser', name: 'Saved', email: 'saved@example.com' }); await roster.flush(); });
    const failed = await page.evaluate(async () => {
      Module.rosterFailNextSync = 'always';   // every transaction aborts after its puts, as a quota error does
      roster.command({ op: 'addUser', name: 'Pending', email: 'pending@example.com' });
      try { await roster.flush(); return { resolved: true }; } catch (e) { return { code: e.code, message: e.message }; }
    });
    assert.equal(failed.resolved, undefined, 'flush must reject');
    assert.equal(failed.code, 'SAVE_ABORTED');
    const st = await page.evaluate(() => roster.ui('state'));
    assert.match(st.save, /^not saved: /);
    assert.equal((await page.evaluate(() => roster.snapshot())).users.length, 2, 'the edit stays in memory');
    await page.evaluate(async () => {
      Module.rosterFailNextSync = null;
      roster.command({ op: 'updateUser', id: 'u1', name: 'Saved (renamed)' });
      await roster.flush();
    });
    assert.equal((await page.evaluate(() => roster.ui('state'))).save, 'saved');
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.deepEqual(snap.users.map((u) => u.name), ['Saved (renamed)', 'Pending']);
  } finally { await ctx.close(); }
});

function chromiumPidsOf(profile) {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(profile)) pids.push(Number(d));
    } catch { /* gone */ }
  }
  return pids;
}

test('killing the browser in the middle of a save loses no flushed edit and leaves a readable directory', async () => {
  const profile = tempProfile();
  const csv = ['Full_Name,Email,Team_name,Integration: Github'];
  for (let i = 0; i < 30000; i++) csv.push(`Person ${i},p${i}@example.com,Team ${i % 17},gh-${i}`);
  let ctx = await launch(profile);
  let flushed;
  try {
    const page = await openApp(ctx, srv.url);
    flushed = await page.evaluate(async (text) => {
      roster.applyImport(text, { mode: 'update' });
      await roster.flush();
      return roster.stats().users;
    }, csv.join('\r\n'));
    assert.equal(flushed, 30000);
    // A large edit, then kill while its save is in flight.
    await page.evaluate(() => {
      roster.command({ op: 'removeUsers', ids: Array.from({ length: 20000 }, (_, i) => 'u' + (i + 1)) });
      roster.flush().catch(() => {});
    });
    await new Promise((r) => setTimeout(r, 30));
  } finally {
    for (const pid of chromiumPidsOf(profile)) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
    await ctx.close().catch(() => {});
  }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const users = await page.evaluate(() => roster.stats().users);
    assert.ok(users === 30000 || users === 10000, `either the flushed state or the complete new one (${users})`);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.equal(snap.users.length, users);
    assert.equal(snap.users[snap.users.length - 1].email, 'p29999@example.com');
    // (The "TypeError: Permissions check failed" once seen here was GLFW asking for fullscreen when
    // the canvas size equals the screen's: fixed in main.cpp, so no page error is tolerated.)
    const errors = page.rosterLog.errors;
    assert.deepEqual(errors, [], page.rosterLog.console.filter((l) => l.includes('unhandled')).join('\n'));
  } finally { await ctx.close(); }
});

test('a stored directory from a newer Roster is refused and left untouched', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let manifest;
  try {
    const page = await openApp(ctx, srv.url);
    manifest = await page.evaluate(async () => {
      roster.command({ op: 'addUser', name: 'Ada', email: 'ada@example.com' });
      await roster.flush();
      const m = JSON.parse(FS.readFile('/data/roster/manifest.json', { encoding: 'utf8' }));
      m.format = 99;
      const text = JSON.stringify(m);
      FS.writeFile('/data/roster/manifest.json', text);
      await new Promise((r) => FS.syncfs(false, r));
      return text;
    });
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const st = await page.evaluate(() => roster.ui('state'));
    assert.match(st.banner, /newer Roster/);
    assert.match(st.save, /^not saved/);
    const r = await page.evaluate(async () => {
      roster.command({ op: 'addUser', name: 'X', email: 'x@example.com' });
      try { await roster.flush(); return 'resolved'; } catch (e) { return e.code; }
    });
    assert.equal(r, 'STORAGE_DISABLED');
    const after = await page.evaluate(() => FS.readFile('/data/roster/manifest.json', { encoding: 'utf8' }));
    assert.equal(after, manifest);
  } finally { await ctx.close(); }
});

test('Content-Security-Policy blocks requests to other origins', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const other = srv.url.replace('127.0.0.1', 'localhost');
    const r = await page.evaluate(async (url) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      let fetchResult;
      try { await fetch(url + 'build-id.txt'); fetchResult = 'allowed'; } catch (e) { fetchResult = 'blocked'; }
      let beacon;
      try { beacon = navigator.sendBeacon(url + 'x', 'data'); } catch (e) { beacon = 'threw'; }
      const img = await new Promise((res) => { const i = new Image(); i.onload = () => res('loaded'); i.onerror = () => res('blocked'); i.src = url + 'favicon.png'; });
      await new Promise((res) => setTimeout(res, 200));
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]').content;
      return { fetchResult, beacon, img, violations, csp };
    }, other);
    assert.equal(r.fetchResult, 'blocked');
    assert.equal(r.img, 'blocked');
    assert.ok(r.violations.some((v) => v.startsWith('connect-src')), JSON.stringify(r.violations));
    assert.match(r.csp, /default-src 'self'/);
    assert.match(r.csp, /'wasm-unsafe-eval'/);
    // The same request to the page's own origin works (the policy is not simply broken).
    const own = await page.evaluate(async () => (await fetch('build-id.txt')).ok);
    assert.equal(own, true);
  } finally { await ctx.close(); }
});

test('versions: one is kept before an import; restoring it is undoable; it survives a restart', async () => {
  const profile = tempProfile();
  const base = 'Full_Name,Email,Team_name,Integration: Github\r\nAda,ada@example.com,Core,ada-gh\r\nGrace,grace@example.com,Compilers,grace-gh\r\n';
  const change = 'Full_Name,Email,Team_name,Integration: Github\r\nAda,ada@example.com,Platform,ada-gh\r\nLinus,linus@example.com,Kernel,torvalds\r\n';
  let ctx = await launch(profile);
  let before, afterImport;
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(async ([b, c]) => {
      roster.applyImport(b, { mode: 'update' });
      const before = roster.snapshot();
      const empty = roster.versions().length;
      roster.applyImport(c, { mode: 'replace' });
      const afterImport = roster.snapshot();
      await roster.flush();
      return { before, afterImport, empty, versions: roster.versions() };
    }, [base, change]);
    before = r.before; afterImport = r.afterImport;
    assert.equal(r.empty, 0, 'no version for the import into an empty directory');
    assert.equal(r.versions.length, 1);
    assert.equal(r.versions[0].label, 'Before import');
    assert.equal(r.versions[0].users, 2);
    assert.match(r.versions[0].id, /^v\d+$/);
    assert.ok(Math.abs(r.versions[0].createdAt - Date.now()) < 120000);
    const restored = await page.evaluate((id) => roster.command({ op: 'restoreVersion', id }), r.versions[0].id);
    assert.equal(restored.ok, true, JSON.stringify(restored));
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
    assert.equal(await page.evaluate(() => roster.undo()), true);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), afterImport);
    assert.equal((await page.evaluate(() => roster.command({ op: 'restoreVersion', id: 'v999' }))).error.code, 'NOT_FOUND');
    await page.evaluate(() => roster.flush());
    await page.waitForTimeout(500);   // let the version's chunks reach their IndexedDB
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const versions = await page.evaluate(() => roster.versions());
    assert.equal(versions.length, 1);
    // The navigation counts the stored versions before the History view is ever opened.
    await page.waitForFunction(() => roster.stats().nav.history.count === 1, null, { timeout: 5000, polling: 50 });
    // After a restart the version's chunks come from IndexedDB first.
    let r = await page.evaluate((id) => roster.command({ op: 'restoreVersion', id }), versions[0].id);
    for (let i = 0; i < 20 && !r.ok && r.error.code === 'VERSION_LOADING'; i++) {
      await page.waitForTimeout(200);
      r = await page.evaluate((id) => roster.command({ op: 'restoreVersion', id }), versions[0].id);
    }
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
  } finally { await ctx.close(); }
});

test('a stored version-1 directory migrates on load', async () => {
  const fixture = path.join(ROOT, 'tests', 'fixtures', 'storage-v1');
  const files = fs.readdirSync(fixture).filter((f) => f !== 'snapshot.json').map((f) => [f, [...fs.readFileSync(path.join(fixture, f))]]);
  const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'snapshot.json'), 'utf8'));
  const profile = tempProfile();
  let ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(async (list) => {
      try { FS.mkdir('/data/roster'); } catch (e) { /* exists */ }
      for (const [name, bytes] of list) FS.writeFile('/data/roster/' + name, new Uint8Array(bytes));
      await new Promise((r) => FS.syncfs(false, r));
    }, files);
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), expected);
    const st = await page.evaluate(() => roster.ui('state'));
    assert.match(st.banner, /upgraded from format 1/);
    await page.waitForFunction(() => JSON.parse(FS.readFile('/data/roster/manifest.json', { encoding: 'utf8' })).format === 3, null, { timeout: 10000 });
  } finally { await ctx.close(); }
});

test('hostile sizes in the page: 10,000 columns work, a huge cell is refused with its line, the module never aborts', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(async () => {
      let header = 'Full_Name,Email', row = 'Ada,ada@example.com';
      for (let i = 0; i < 10000; i++) { header += ',col' + i; row += ',' + i; }
      const wide = roster.applyImport(header + '\r\n' + row + '\r\n', { mode: 'update' });
      roster.ui({ action: 'select', ids: ['u1'] });
      roster.ui({ action: 'view', view: 'users' });
      await new Promise((res) => setTimeout(res, 500));
      roster.ui({ action: 'view', view: 'attributes' });
      await new Promise((res) => setTimeout(res, 500));
      const big = roster.applyImport('Full_Name,Email\r\nBob,bob@example.com\r\n' + 'x'.repeat(300000) + ',big@example.com\r\n', { mode: 'update' });
      roster.ui({ action: 'view', view: 'users' });
      await new Promise((res) => setTimeout(res, 300));
      return { wide: wide.applied, attrs: roster.snapshot().attributes.length, big: big.errors[0], frames: roster.stats().frame.samples };
    });
    assert.equal(r.wide, true);
    assert.equal(r.attrs, 10000);
    assert.equal(r.big.code, 'VALUE_TOO_LONG');
    assert.equal(r.big.line, 3);
    assert.ok(r.frames > 5, 'still drawing');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
