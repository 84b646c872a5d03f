// Foundation: the app starts, edits through window.roster with undo/redo, persists across a
// browser restart, works offline, makes no request outside its origin, and draws a real UI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile, screenshot, imageStats, decodePng, usersTableInk } from './harness.mjs';
import fs from 'node:fs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

test('reaches roster.ready with an empty directory and sane stats', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const stats = await page.evaluate(() => roster.stats());
    assert.equal(stats.users, 0);
    assert.equal(stats.identities, 0);
    assert.ok(stats.wasmHeapBytes >= 16 * 1024 * 1024, 'heap size reported');
    assert.ok(stats.frame.samples >= 1, 'at least one frame drawn');
    assert.ok(stats.frame.p95Ms >= stats.frame.p50Ms);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.deepEqual(snap.users, []);
    assert.deepEqual(snap.unassigned, []);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('add, update, remove, undo and redo through window.roster', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => {
      const out = {};
      out.a = roster.command({ op: 'addUser', name: 'Ada Lovelace', email: 'Ada@Example.com' });
      out.b = roster.command({ op: 'addUser', name: 'Grace Hopper', email: 'grace@example.com' });
      out.dup = roster.command({ op: 'addUser', name: 'Ada again', email: 'ada@EXAMPLE.com' });
      out.bad = roster.command({ op: 'addUser', name: 'Nope', email: 'not an email' });
      out.unknown = roster.command({ op: 'teleport' });
      out.badField = roster.command({ op: 'updateUser', id: 42, name: 'x' });
      out.upd = roster.command({ op: 'updateUser', id: out.a.id, name: 'Ada King' });
      out.afterUpdate = roster.snapshot();
      out.rm = roster.command({ op: 'removeUsers', ids: [out.b.id] });
      out.afterRemove = roster.snapshot();
      out.undo1 = roster.undo();
      out.afterUndo = roster.snapshot();
      out.undo2 = roster.undo();
      out.afterUndo2 = roster.snapshot();
      out.redo = roster.redo();
      out.redo2 = roster.redo();
      out.redo3 = roster.redo();
      out.final = roster.snapshot();
      return out;
    });
    assert.equal(r.a.ok, true);
    assert.match(r.a.id, /^u\d+$/);
    assert.equal(r.dup.ok, false);
    assert.equal(r.dup.error.code, 'DUPLICATE_EMAIL');
    assert.equal(r.bad.error.code, 'INVALID_EMAIL');
    assert.equal(r.unknown.error.code, 'UNKNOWN_OP');
    assert.equal(r.badField.error.code, 'INVALID_ARGUMENT');
    assert.equal(r.afterUpdate.users.length, 2);
    assert.equal(r.afterUpdate.users[0].name, 'Ada King');
    assert.equal(r.afterUpdate.users[0].email, 'Ada@Example.com');
    assert.deepEqual(r.afterRemove.users.map((u) => u.name), ['Ada King']);
    assert.equal(r.undo1, true);
    assert.deepEqual(r.afterUndo.users.map((u) => [u.id, u.name]), [[r.a.id, 'Ada King'], [r.b.id, 'Grace Hopper']]);
    assert.deepEqual(r.afterUndo2.users.map((u) => u.name), ['Ada Lovelace', 'Grace Hopper']);
    assert.equal(r.redo, true);
    assert.equal(r.redo2, true);
    assert.equal(r.redo3, false);
    assert.deepEqual(r.final.users.map((u) => u.name), ['Ada King']);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('the directory survives closing and relaunching the browser', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let expected;
  try {
    const page = await openApp(ctx, srv.url);
    expected = await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) roster.command({ op: 'addUser', name: 'Person ' + i, email: `p${i}@example.com` });
      roster.command({ op: 'updateUser', id: 'u3', name: 'Renamed Three' });
      roster.command({ op: 'removeUsers', ids: ['u10', 'u11'] });
      await roster.flush();
      return roster.snapshot();
    });
    assert.equal(expected.users.length, 48);
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.deepEqual(snap, expected);
    // ids are never reused after a restart
    const r = await page.evaluate(() => roster.command({ op: 'addUser', name: 'Next', email: 'next@example.com' }));
    assert.equal(r.id, 'u51');
  } finally { await ctx.close(); }
});

test('background save without flush lands too (debounced)', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(() => roster.command({ op: 'addUser', name: 'Quiet', email: 'quiet@example.com' }));
    await page.waitForFunction(() => { const s = roster.stats(); return s.savedRevision === s.revision; }, null, { timeout: 15000 });
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.deepEqual(snap.users.map((u) => u.email), ['quiet@example.com']);
  } finally { await ctx.close(); }
});

test('works offline after the first visit (service worker)', async () => {
  const ctx = await launch(tempProfile());
  try {
    let page = await openApp(ctx, srv.url);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // Be sure the worker controls the page and its cache is complete.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const cacheNames = await page.evaluate(() => caches.keys());
    const buildId = await page.evaluate(() => document.querySelector('meta[name=roster-build]').content);
    assert.deepEqual(cacheNames, ['roster-' + buildId]);
    await ctx.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => window.roster && window.roster.ready, null, { timeout: 60000 });
    await page.evaluate(() => roster.ready);
    const r = await page.evaluate(() => roster.command({ op: 'addUser', name: 'Offline Person', email: 'offline@example.com' }));
    assert.equal(r.ok, true);
    await page.evaluate(() => roster.flush());
    const snap = await page.evaluate(() => roster.snapshot());
    assert.equal(snap.users.length, 1);
    // The zip library (fflate.js, for several files in and out) came from the cache too.
    const zipped = await page.evaluate(() => {
      const zip = rosterBundle.zip([{ name: 'a.csv', text: 'Email\na@example.com\n' }]);
      return rosterBundle.unzip(zip).map((f) => f.name + ':' + new TextDecoder().decode(f.data));
    });
    assert.deepEqual(zipped, ['a.csv:Email\na@example.com\n']);
  } finally { await ctx.close(); }
});

test('no request leaves the page origin', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(() => roster.command({ op: 'addUser', name: 'A', email: 'a@example.com' }));
    await page.evaluate(() => roster.flush());
    await page.waitForTimeout(500);
    const origin = new URL(srv.url).origin;
    const foreign = page.rosterLog.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.ok(page.rosterLog.requests.some((u) => u.endsWith('/roster.wasm')), 'the wasm was requested from the origin');
  } finally { await ctx.close(); }
});

test('draws a real UI: screenshot is not blank, at HiDPI too', async () => {
  for (const dpr of [1, 2]) {
    const ctx = await launch(tempProfile(), { deviceScaleFactor: dpr, viewport: { width: 1280, height: 800 } });
    try {
      const page = await openApp(ctx, srv.url);
      const emptyShot = decodePng(fs.readFileSync(await screenshot(page, `foundation-empty-dpr${dpr}.png`)));
      await page.evaluate(() => { for (let i = 0; i < 30; i++) roster.command({ op: 'addUser', name: 'Person ' + i, email: `p${i}@example.com` }); });
      await page.waitForTimeout(400);
      const file = await screenshot(page, `foundation-dpr${dpr}.png`);
      const st = imageStats(fs.readFileSync(file));
      assert.equal(st.width, 1280 * dpr);
      assert.ok(st.distinctColors > 20, `many colours drawn (${st.distinctColors})`);
      assert.ok(st.nonBackgroundFraction > 0.02, `UI covers the page (${st.nonBackgroundFraction})`);
      const ui = await page.evaluate(() => roster.ui('state'));
      // The Users table draws each person's name in the name column of the row the API puts them
      // on: ink in each visible row's band, as wide as the name is long ("Person 10".."Person 29"
      // wider than "Person 0".."Person 9"). The same bands of the empty directory's screenshot
      // (its welcome card) hold no name.
      const scale = ui.dpr * ui.scale;
      const names = await page.evaluate(() => Object.fromEntries(roster.snapshot().users.map((u) => [u.id, u.name])));
      const table = await page.evaluate(() => roster.ui({ action: 'usersTable' }));
      assert.ok(table.ids.length >= 10 && table.ids.length === table.visibleRows, `rows on screen: ${table.ids.length}`);
      const nameDrawn = (r) => r.inkWidth >= names[r.id].length * 4 * scale && r.inkWidth <= names[r.id].length * 12 * scale;
      const drawn = usersTableInk(decodePng(fs.readFileSync(file)), table, { scale });
      for (const r of drawn.rows) assert.ok(nameDrawn(r), `${names[r.id]}: its name is drawn in its row (ink ${r.ink} px, ${r.inkWidth} px wide)`);
      const widths = (len) => drawn.rows.filter((r) => names[r.id].length === len).map((r) => r.inkWidth);
      assert.ok(widths(8).length && widths(9).length, 'short and long names on screen');
      assert.ok(Math.min(...widths(9)) > Math.max(...widths(8)), `longer names are wider: ${widths(8)} / ${widths(9)}`);
      const emptyDrawn = usersTableInk(emptyShot, table, { scale });
      assert.equal(emptyDrawn.rows.filter(nameDrawn).length, 0, 'no name where the rows are in the empty directory');
      // Fewer rows than fit (a search for "Person 2": 11 rows): nothing below the last one.
      await page.evaluate(() => roster.ui({ action: 'searchUsers', text: 'Person 2' }));
      await page.waitForFunction(() => { const t = roster.stats().usersTable; return !t.searching && t.rows === 11; }, null, { timeout: 5000 });
      await page.waitForTimeout(200);
      const fewer = await page.evaluate(() => roster.ui({ action: 'usersTable' }));
      const fewerDrawn = usersTableInk(decodePng(fs.readFileSync(await screenshot(page, `foundation-search-dpr${dpr}.png`))), fewer, { scale });
      assert.equal(fewerDrawn.rows.length, 11);
      for (const r of fewerDrawn.rows) assert.ok(nameDrawn(r), `${names[r.id]}: drawn after the search`);
      assert.ok(fewerDrawn.after, 'a free band after the last row');
      assert.equal(fewerDrawn.after.ink, 0, `no ink below the last row (${fewerDrawn.after.ink} px)`);
      const full = usersTableInk(decodePng(fs.readFileSync(file)), { ...fewer, ids: fewer.ids.concat(['']) }, { scale });
      assert.ok(full.rows[11].ink > 0, 'the same band held a row before the search');
      assert.equal(ui.dpr, dpr);
      assert.equal(ui.width, 1280 * dpr, 'canvas backing store follows devicePixelRatio');
      // Resizing the window resizes the canvas.
      await page.setViewportSize({ width: 900, height: 640 });
      await page.waitForFunction((w) => roster.ui('state').width === w, 900 * dpr, { timeout: 5000 });
    } finally { await ctx.close(); }
  }
});

test('a canvas exactly as large as the screen resizes like any other (no fullscreen request)', async () => {
  // Emscripten's GLFW asks for fullscreen instead of resizing when the size equals the screen's;
  // Chromium refused that with "TypeError: Permissions check failed" and the canvas kept its old
  // size. Playwright's screen is the viewport, so at DPR 1 every size here is the screen's.
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));
    for (const [w, h] of [[1000, 700], [1400, 860], [1280, 720]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForFunction(([w, h]) => { const c = document.getElementById('canvas'); return c.width === w && c.height === h; }, [w, h], { timeout: 10000 });
      await frames();
      const s = await page.evaluate(() => ({ sw: screen.width, sh: screen.height, fs: !!document.fullscreenElement }));
      assert.equal(s.fs, false);
    }
    assert.deepEqual(page.rosterLog.errors, []);
    assert.ok(!page.rosterLog.console.some((l) => /requestFullscreen/.test(l)), page.rosterLog.console.join('\n'));
  } finally { await ctx.close(); }
});
