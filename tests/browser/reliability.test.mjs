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
    // (this failed now and then in full runs, never alone: the message says who held the lock)
    if (bs.readOnly !== true) {
      const why = await b.evaluate(async () => ({ locks: await navigator.locks.query(), role: Module.rosterInitialRole && Module.rosterInitialRole() }));
      const whyA = await a.evaluate(async () => ({ role: Module.rosterInitialRole && Module.rosterInitialRole(), state: roster.ui('state').readOnly, url: location.href }));
      assert.fail(`the second tab is not read-only: B ${JSON.stringify(why)}, A ${JSON.stringify(whyA)}, B banner ${JSON.stringify(bs.banner)}`);
    }
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

// The browser's processes for one profile: those whose command line names the profile directory
// (the browser itself) and all their descendants (zygotes, renderers, utility processes).
function chromiumPidsOf(profile) {
  const parent = new Map(), roots = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(profile)) roots.push(Number(d));
    } catch { /* gone */ }
  }
  const pids = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) if (!pids.has(pid) && pids.has(ppid)) { pids.add(pid); grew = true; }
  }
  return [...pids];
}

// A process has ended when it is gone or a zombie waiting to be reaped.
function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}

const MANIFEST = '/data/roster/manifest.json';

// Init script: records, from inside the page, the readwrite transactions on IDBFS's database ('/data',
// store 'FILE_DATA') and the puts and deletes issued in them, in window.__rosterIdb. It changes nothing
// the app does. When the test sets window.__rosterPauseAtPut to a key, the put of that key in such a
// transaction is followed by a `debugger` statement: with the test's debugger attached, the page
// stops there, inside the task that issues the save's requests, so the transaction stays active and
// cannot commit (it commits only once the page has returned from that task and every request has
// finished); without a debugger it does nothing.
function recordIdbfsWrites() {
  const rec = { txs: [] };
  window.__rosterIdb = rec;
  const tracked = new WeakMap();
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (names, mode) {
    const tx = transaction.apply(this, arguments);
    const stores = typeof names === 'string' ? [names] : Array.from(names || []);
    if (this.name === '/data' && mode === 'readwrite' && stores.includes('FILE_DATA')) {
      const t = { n: rec.txs.length, startedAt: performance.now(), keys: [], puts: 0, deletes: 0, succeeded: 0, complete: false, aborted: false, paused: false };
      rec.txs.push(t);
      tracked.set(tx, t);
      tx.addEventListener('complete', () => { t.complete = true; t.completedAt = performance.now(); });
      tx.addEventListener('abort', () => { t.aborted = true; });
    }
    return tx;
  };
  for (const op of ['put', 'delete']) {
    const orig = IDBObjectStore.prototype[op];
    IDBObjectStore.prototype[op] = function () {
      const req = orig.apply(this, arguments);
      const t = tracked.get(this.transaction);
      if (t) {
        const key = String(op === 'put' ? arguments[1] : arguments[0]);
        t.keys.push(op + ' ' + key);
        if (op === 'put') t.puts++; else t.deletes++;
        req.addEventListener('success', () => { t.succeeded++; });
        if (op === 'put' && key === window.__rosterPauseAtPut) {
          window.__rosterPauseAtPut = null;
          t.paused = true;
          debugger;   // eslint-disable-line no-debugger
          t.paused = false;
        }
      }
      return req;
    };
  }
}

// Flushes 30,000 people, removes 20,000 and kills the browser (SIGKILL to every process of the
// profile) while that save is being written ('inside') or once the page saw its transaction complete
// ('after'); returns what the page recorded at the kill and the processes killed.
async function killDuringSave(profile, where) {
  const csv = ['Full_Name,Email,Team_name,Integration: Github'];
  for (let i = 0; i < 30000; i++) csv.push(`Person ${i},p${i}@example.com,Team ${i % 17},gh-${i}`);
  const ctx = await launch(profile);
  let atKill, pids, survivors;
  try {
    const page = await openApp(ctx, srv.url, { initScript: recordIdbfsWrites });
    const flushed = await page.evaluate(async (text) => {
      roster.applyImport(text, { mode: 'update' });
      await roster.flush();
      return roster.stats().users;
    }, csv.join('\r\n'));
    assert.equal(flushed, 30000);
    assert.ok(await page.evaluate(() => window.__rosterIdb.txs.some((t) => t.complete)), 'the flushed import was written by a recorded transaction');
    const edit = (pauseAt) => page.evaluate((key) => {
      Module.rosterPersistLog = [];
      window.__rosterPauseAtPut = key;
      window.__rosterIdb.txs.length = 0;
      roster.command({ op: 'removeUsers', ids: Array.from({ length: 20000 }, (_, i) => 'u' + (i + 1)) });
      roster.flush().catch(() => {});
    }, pauseAt);
    const record = 'JSON.stringify({ txs: window.__rosterIdb.txs, persist: Module.rosterPersistLog })';
    if (where === 'inside') {
      // The save stops right after issuing the put of manifest.json (every chunk put before it
      // issued, nothing committed); the page's state is read there and the browser killed.
      const cdp = await ctx.newCDPSession(page);
      const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
      await cdp.send('Debugger.enable');
      await edit(MANIFEST);
      let timer;
      const ev = await Promise.race([paused, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('the save never put manifest.json')), 30000); })]);
      clearTimeout(timer);
      const r = await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: ev.callFrames[0].callFrameId, expression: record, returnByValue: true });
      atKill = JSON.parse(r.result.value);
      await new Promise((resolve) => setTimeout(resolve, 300));   // the requests issued reach IndexedDB's backend
    } else {
      await edit(null);
      await page.waitForFunction(() => window.__rosterIdb.txs.some((t) => t.complete), null, { timeout: 30000, polling: 5 });
      atKill = JSON.parse(await page.evaluate(record));
    }
    pids = chromiumPidsOf(profile);
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
    // Before the context is closed (a clean close would end them too).
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    survivors = pids.filter(alive);
  } finally {
    await ctx.close().catch(() => {});
  }
  assert.ok(pids.length >= 1, 'found the browser processes of the profile');
  assert.deepEqual(survivors, [], 'the kill ended every process of the profile');
  // The recorded transaction is that save's: one save started after the edit, one transaction,
  // its requests in the save's order.
  assert.equal(atKill.persist.length, 1, 'one save was started after the edit');
  const save = atKill.persist[0];
  assert.ok(save.puts.includes(MANIFEST) && save.puts.some((f) => /\/users-\d+\.\d+\.bin$/.test(f)), JSON.stringify(save));
  assert.equal(atKill.txs.length, 1, JSON.stringify(atKill.txs));
  const t = atKill.txs[0];
  const ops = save.puts.map((p) => 'put ' + p).concat(save.deletes.map((p) => 'delete ' + p));
  assert.deepEqual(t.keys, ops.slice(0, t.keys.length));
  assert.equal(t.aborted, false);
  if (process.env.ROSTER_DEBUG) console.log(JSON.stringify({ where, pids, t, ops: ops.length }));
  return { t, ops };
}

// What a relaunch on the profile reads: exactly the flushed directory (30,000 people) when the kill
// rolled the save back, exactly the new one (10,000) when its transaction had completed.
async function expectStored(profile, t) {
  const expected = t.complete ? { users: 10000, first: 20000 } : { users: 30000, first: 0 };
  const ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const snap = await page.evaluate(() => roster.snapshot());
    const where = t.complete ? 'completed before the kill' : 'killed before it committed';
    assert.equal(await page.evaluate(() => roster.stats().users), expected.users, `the save's transaction ${where}`);
    assert.equal(snap.users.length, expected.users);
    assert.equal(snap.users[0].email, `p${expected.first}@example.com`);
    assert.equal(snap.users[snap.users.length - 1].email, 'p29999@example.com');
    assert.equal(snap.users.some((u) => u.id === 'u1' && u.name === 'Person 0' && u.email === 'p0@example.com'), !t.complete, 'a removed person is back exactly when the save was rolled back');
    assert.doesNotMatch((await page.evaluate(() => roster.ui('state'))).banner || '', /could not be read/);
    // (The "TypeError: Permissions check failed" once seen here was GLFW asking for fullscreen when
    // the canvas size equals the screen's: fixed in main.cpp, so no page error is tolerated.)
    const errors = page.rosterLog.errors;
    assert.deepEqual(errors, [], page.rosterLog.console.filter((l) => l.includes('unhandled')).join('\n'));
  } finally { await ctx.close(); }
}

test('killing the browser in the middle of a save loses no flushed edit and leaves a readable directory', async () => {
  const profile = tempProfile();
  const { t } = await killDuringSave(profile, 'inside');
  // The kill landed inside the save's transaction: started, every chunk put and the manifest put
  // issued, stopped in the task that issued them, not complete.
  assert.equal(t.paused, true, 'the page was stopped at the put when killed');
  assert.equal(t.keys[t.keys.length - 1], 'put ' + MANIFEST);
  assert.equal(t.complete, false, 'the transaction had not completed at the kill');
  await expectStored(profile, t);
});

test('killing the browser right after a save completed keeps that save', async () => {
  const profile = tempProfile();
  const { t, ops } = await killDuringSave(profile, 'after');
  assert.equal(t.complete, true, 'the transaction had completed at the kill');
  assert.equal(t.keys.length, ops.length);
  await expectStored(profile, t);
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

// Issue 18: an undone import is given back when the next import ends its redo; its slots are taken
// again by other people, and a version kept before still restores exactly (by id), also after a restart.
test('the SEI loop gives back undone imports: slots taken again, versions restored by id, a restart loads it', async () => {
  const profile = tempProfile();
  const a = 'Full_Name,Email,Team_name,Integration: Github\r\nAda,ada@example.com,Core,ada-gh\r\nGrace,grace@example.com,Compilers,grace-gh\r\nLinus,linus@example.com,Kernel,torvalds\r\n';
  const b = 'Full_Name,Email,Team_name,Integration: Github\r\nAda,ada@example.com,Platform,ada-gh\r\n';
  const c = 'Full_Name,Email,Team_name,Integration: Jira\r\nKen,ken@example.com,Unix,K-1\r\nDennis,dennis@example.com,Unix,K-2\r\n';
  let ctx = await launch(profile);
  let keptA;
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(async ([a, b, c]) => {
      const ra = roster.applyImport(a, { mode: 'update' });
      const snapA = roster.snapshot();
      const rb = roster.applyImport(b, { mode: 'update' });   // keeps a version of A
      const undone = [roster.undo(), roster.undo()];
      const emptied = roster.stats().users;
      const heldBefore = roster.stats().reclaimed;
      const rc = roster.applyImport(c, { mode: 'update' });
      await roster.flush();
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      return { ra: ra.applied, rb: rb.applied, undone, emptied, heldBefore, rc: rc.applied, snapA, snapC: roster.snapshot(),
        reclaimed: roster.stats().reclaimed, rows: roster.stats().usersTable.rows, versions: roster.versions(), redo: roster.redo() };
    }, [a, b, c]);
    keptA = r.snapA;
    assert.deepEqual([r.ra, r.rb, r.rc], [true, true, true]);
    assert.deepEqual(r.undone, [true, true]);
    assert.equal(r.emptied, 0);
    assert.equal(r.heldBefore.users, 0, 'an undo alone gives nothing back (redo needs it)');
    assert.equal(r.reclaimed.users, 3, JSON.stringify(r.reclaimed));
    assert.equal(r.reclaimed.identities, 3);
    assert.ok(r.reclaimed.textBytes > 0);
    assert.equal(r.reclaimed.refused, 0);
    assert.equal(r.redo, false, 'the import ended the redo steps');
    assert.deepEqual(r.snapC.users.map((u) => u.email), ['ken@example.com', 'dennis@example.com']);
    const idsA = r.snapA.users.map((u) => u.id), idsC = r.snapC.users.map((u) => u.id);
    assert.ok(idsC.every((id) => !idsA.includes(id)), `ids are never given out twice: ${idsA} / ${idsC}`);
    assert.equal(r.rows, 2, 'the users table shows the two new people');
    const v = r.versions.find((x) => x.users === 3);
    assert.ok(v, JSON.stringify(r.versions));
    const restored = await page.evaluate((id) => roster.command({ op: 'restoreVersion', id }), v.id);
    assert.equal(restored.ok, true, JSON.stringify(restored));
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), keptA);
    assert.equal(await page.evaluate(() => roster.undo()), true);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), r.snapC);
    assert.equal(await page.evaluate(() => roster.redo()), true);
    await page.evaluate(() => roster.flush());
    await page.waitForTimeout(300);
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), keptA);
  } finally { await ctx.close(); }
});

test('a stored version-1 directory migrates on load', async () => {
  const fixture = path.join(ROOT, 'tests', 'fixtures', 'storage-v1');
  const files = fs.readdirSync(fixture).filter((f) => f !== 'snapshot.json').map((f) => [f, [...fs.readFileSync(path.join(fixture, f))]]);
  const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'snapshot.json'), 'utf8'));
  // Format 1 held no bot patterns and no rejected suggestions (the snapshot written with the
  // fixture predates them in the snapshot): both load empty, as in tests/core/test_storage.cpp.
  for (const k of ['botPatterns', 'rejectedSuggestions']) if (!(k in expected)) expected[k] = [];
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
