// Custom attributes and org units through window.roster: bulk edit as one undo step, org-unit
// membership following edits and undo, persistence across a browser restart, and the panels drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, openApp, tempProfile, screenshot, imageStats, appLayout, inkBands, usersTableInk, decodePng } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

test('setAttribute on many ids is one undo step; bad values and unknown ids change nothing', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => {
      const out = {};
      const ids = [];
      for (let i = 0; i < 200; i++) ids.push(roster.command({ op: 'addUser', name: 'Person ' + i, email: `p${i}@example.com` }).id);
      out.add = roster.command({ op: 'addAttribute', key: 'Team_Name', label: 'Team', type: 'text' });
      out.addDate = roster.command({ op: 'addAttribute', key: 'start_date', type: 'date' });
      out.dup = roster.command({ op: 'addAttribute', key: 'team_name', type: 'text' });
      out.badType = roster.command({ op: 'addAttribute', key: 'x', type: 'colour' });
      const depth0 = roster.stats().undoDepth;
      out.set = roster.command({ op: 'setAttribute', ids, key: 'team_name', value: 'Platform' });
      out.depthAfterSet = roster.stats().undoDepth - depth0;
      out.afterSet = roster.snapshot().users.filter((u) => u.attributes.team_name === 'Platform').length;
      out.badDate = roster.command({ op: 'setAttribute', ids, key: 'start_date', value: '31/12/2024' });
      out.goodDate = roster.command({ op: 'setAttribute', ids: ids.slice(0, 3), key: 'start_date', value: '2024/12/31' });
      out.date = roster.snapshot().users[0].attributes.start_date;
      out.unknownKey = roster.command({ op: 'setAttribute', ids, key: 'shoe_size', value: '9' });
      out.unknownId = roster.command({ op: 'setAttribute', ids: [ids[0], 'u99999'], key: 'team_name', value: 'Other' });
      out.stillPlatform = roster.snapshot().users[0].attributes.team_name;
      out.clear = roster.command({ op: 'setAttribute', ids: ids.slice(0, 100), key: 'team_name', value: '' });
      out.afterClear = roster.snapshot().users.filter((u) => u.attributes.team_name === 'Platform').length;
      out.undo1 = roster.undo();   // the clear
      out.afterUndo1 = roster.snapshot().users.filter((u) => u.attributes.team_name === 'Platform').length;
      roster.undo();               // the dates
      out.undo3 = roster.undo();   // the bulk set: one step for 200 people
      out.afterUndo3 = roster.snapshot().users.filter((u) => u.attributes.team_name).length;
      out.redo = roster.redo();
      out.afterRedo = roster.snapshot().users.filter((u) => u.attributes.team_name === 'Platform').length;
      return out;
    });
    assert.equal(r.add.ok, true);
    assert.equal(r.addDate.ok, true);
    assert.equal(r.dup.error.code, 'DUPLICATE_ATTRIBUTE');
    assert.equal(r.badType.error.code, 'INVALID_ARGUMENT');
    assert.equal(r.set.ok, true);
    assert.equal(r.depthAfterSet, 1);
    assert.equal(r.afterSet, 200);
    assert.equal(r.badDate.error.code, 'INVALID_VALUE');
    assert.equal(r.goodDate.ok, true);
    assert.equal(r.date, '2024-12-31');
    assert.equal(r.unknownKey.error.code, 'NOT_FOUND');
    assert.equal(r.unknownId.error.code, 'NOT_FOUND');
    assert.equal(r.stillPlatform, 'Platform');
    assert.equal(r.afterClear, 100);
    assert.equal(r.undo1, true);
    assert.equal(r.afterUndo1, 200);
    assert.equal(r.undo3, true);
    assert.equal(r.afterUndo3, 0);
    assert.equal(r.redo, true);
    assert.equal(r.afterRedo, 200);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('org-unit membership follows edits and undo; bad filters answer INVALID_FILTER', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => {
      const out = {};
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push(roster.command({ op: 'addUser', name: 'Person ' + i, email: `p${i}@example.com` }).id);
      roster.command({ op: 'addAttribute', key: 'team', type: 'text' });
      roster.command({ op: 'addAttribute', key: 'level', type: 'number' });
      roster.command({ op: 'setAttribute', ids: ids.slice(0, 4), key: 'team', value: 'Platform' });
      roster.command({ op: 'setAttribute', ids: ids.slice(0, 2), key: 'level', value: '10' });
      roster.command({ op: 'setAttribute', ids: ids.slice(2, 4), key: 'level', value: '9' });
      const filter = { all: [{ attribute: 'team', op: 'equals', value: 'platform' }, { attribute: 'level', op: 'gte', value: '9.5' }] };
      out.save = roster.command({ op: 'saveOrgUnit', name: 'Platform seniors', filter });
      const unitFilter = () => roster.snapshot().orgUnits.find((u) => u.name === 'Platform seniors').filter;
      out.savedFilter = unitFilter();
      out.before = roster.query(unitFilter());
      out.promote = roster.command({ op: 'setAttribute', ids: [ids[2], ids[5]], key: 'level', value: '12' });
      out.afterEdit = roster.query(unitFilter());
      out.join = roster.command({ op: 'setAttribute', ids: [ids[5]], key: 'team', value: 'PLATFORM' });
      out.afterJoin = roster.query(unitFilter());
      roster.undo();
      out.afterUndo1 = roster.query(unitFilter());
      roster.undo();
      out.afterUndo2 = roster.query(unitFilter());
      out.remove = roster.command({ op: 'removeUsers', ids: [ids[0]] });
      out.afterRemove = roster.query(unitFilter());
      roster.undo();
      out.afterUndoRemove = roster.query(unitFilter());
      out.notQuery = roster.query({ not: { attribute: 'team', op: 'isEmpty' } });
      out.anyQuery = roster.query({ any: [{ attribute: 'email', op: 'equals', value: 'P7@EXAMPLE.COM' }, { attribute: 'name', op: 'endsWith', value: ' 9' }] });
      out.badKey = roster.query({ attribute: 'nope', op: 'equals', value: 'x' });
      out.badOp = roster.query({ attribute: 'team', op: 'like', value: 'x' });
      out.badSave = roster.command({ op: 'saveOrgUnit', name: 'Broken', filter: { attribute: 'team', op: 'like', value: 'x' } });
      out.rename = roster.command({ op: 'renameOrgUnit', name: 'platform seniors', newName: 'Seniors' });
      out.names = roster.snapshot().orgUnits.map((u) => u.name);
      out.del = roster.command({ op: 'deleteOrgUnit', name: 'Seniors' });
      out.afterDel = roster.snapshot().orgUnits.length;
      roster.undo();
      out.afterUndoDel = roster.snapshot().orgUnits.map((u) => u.name);
      out.ids = ids;
      return out;
    });
    const id = (i) => r.ids[i];
    assert.equal(r.save.ok, true);
    assert.deepEqual(r.savedFilter, { all: [{ attribute: 'team', op: 'equals', value: 'platform' }, { attribute: 'level', op: 'gte', value: '9.5' }] });
    assert.deepEqual(r.before, [id(0), id(1)]);
    assert.deepEqual(r.afterEdit, [id(0), id(1), id(2)]);
    assert.deepEqual(r.afterJoin, [id(0), id(1), id(2), id(5)]);
    assert.deepEqual(r.afterUndo1, [id(0), id(1), id(2)]);
    assert.deepEqual(r.afterUndo2, [id(0), id(1)]);
    assert.deepEqual(r.afterRemove, [id(1)]);
    assert.deepEqual(r.afterUndoRemove, [id(0), id(1)]);
    assert.deepEqual(r.notQuery, [id(0), id(1), id(2), id(3)]);
    assert.deepEqual(r.anyQuery, [id(7), id(9)]);
    assert.equal(r.badKey.ok, false);
    assert.equal(r.badKey.error.code, 'INVALID_FILTER');
    assert.equal(r.badOp.error.code, 'INVALID_FILTER');
    assert.equal(r.badSave.error.code, 'INVALID_FILTER');
    assert.equal(r.rename.ok, true);
    assert.deepEqual(r.names, ['Seniors']);
    assert.equal(r.del.ok, true);
    assert.equal(r.afterDel, 0);
    assert.deepEqual(r.afterUndoDel, ['Seniors']);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('attributes, values and org units survive a browser restart', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let expected;
  try {
    const page = await openApp(ctx, srv.url);
    expected = await page.evaluate(async () => {
      const ids = [];
      for (let i = 0; i < 20; i++) ids.push(roster.command({ op: 'addUser', name: 'Person ' + i, email: `p${i}@example.com` }).id);
      roster.command({ op: 'addAttribute', key: 'team', label: 'Team', type: 'text' });
      roster.command({ op: 'addAttribute', key: 'start', type: 'date' });
      roster.command({ op: 'addAttribute', key: 'remote', type: 'boolean' });
      roster.command({ op: 'addAttribute', key: 'manager_email', type: 'email' });
      roster.command({ op: 'setAttribute', ids, key: 'team', value: 'Core' });
      roster.command({ op: 'setAttribute', ids: ids.slice(0, 5), key: 'start', value: '2023-04-05' });
      roster.command({ op: 'setAttribute', ids: ids.slice(5), key: 'remote', value: 'yes' });
      roster.command({ op: 'setAttribute', ids: ids.slice(1), key: 'manager_email', value: 'p0@example.com' });
      roster.command({ op: 'updateAttribute', key: 'team', label: 'Squad' });
      roster.command({ op: 'saveOrgUnit', name: 'Remote core', filter: { all: [{ attribute: 'team', op: 'equals', value: 'core' }, { attribute: 'remote', op: 'equals', value: 'true' }] } });
      roster.command({ op: 'saveOrgUnit', name: 'Early', filter: { attribute: 'start', op: 'lt', value: '2024-01-01' } });
      await roster.flush();
      const snap = roster.snapshot();
      return { snap, members: snap.orgUnits.map((u) => roster.query(u.filter)), lint: roster.lint().filter((i) => i.code === 'NO_MANAGER').length };
    });
    assert.equal(expected.snap.attributes.length, 4);
    assert.equal(expected.snap.orgUnits.length, 2);
    assert.equal(expected.members[0].length, 15);
    assert.equal(expected.members[1].length, 5);
  } finally { await ctx.close(); }
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const got = await page.evaluate(() => {
      const snap = roster.snapshot();
      return { snap, members: snap.orgUnits.map((u) => roster.query(u.filter)), lint: roster.lint().filter((i) => i.code === 'NO_MANAGER').length };
    });
    assert.deepEqual(got, expected);
    assert.equal(got.snap.attributes.find((a) => a.key === 'team').label, 'Squad');
  } finally { await ctx.close(); }
});

test('the attribute, org unit and problem panels draw with the sample loaded', async () => {
  const ctx = await launch(tempProfile(), { viewport: { width: 1400, height: 860 } });
  try {
    const page = await openApp(ctx, srv.url);
    // Text lines (bands of ink) in the main pane of a screenshot.
    const state = await page.evaluate(() => roster.ui('state'));
    const linesIn = (file, editor = false) => {
      const L = appLayout(state, { editor });
      return inkBands(fs.readFileSync(file), L.main, { scale: L.scale }).length;
    };
    // The views of the empty directory: what the checks below must tell apart.
    const empty = {};
    for (const view of ['attributes', 'orgUnits', 'problems']) {
      await page.evaluate((v) => roster.ui({ action: 'view', view: v }), view);
      await page.waitForTimeout(300);
      empty[view] = linesIn(await screenshot(page, `attributes-empty-${view}.png`));
    }
    await page.evaluate(() => roster.ui({ action: 'problemsTab', tab: 'reportingLines' }));
    await page.waitForTimeout(300);
    empty.reportingLines = linesIn(await screenshot(page, 'attributes-empty-reporting-lines.png'));
    await page.evaluate(() => roster.ui({ action: 'problemsTab', tab: 'findings' }));
    await page.evaluate(() => window.rosterFiles.loadSample());
    const setup = await page.evaluate(() => {
      const snap = roster.snapshot();
      const team = snap.users[0].attributes.team_name;
      return {
        save: roster.command({ op: 'saveOrgUnit', name: 'Senior ' + team, filter: { all: [{ attribute: 'team_name', op: 'equals', value: team }, { any: [{ attribute: 'designation', op: 'contains', value: 'senior' }, { attribute: 'designation', op: 'equals', value: 'Director' }] }] } }),
        attrs: snap.attributes,
        lint: roster.lint(),
      };
    });
    assert.equal(setup.save.ok, true);
    assert.ok(setup.attrs.some((a) => a.key === 'manager_email' && a.type === 'email'));
    // The sample's managers form trees: no cycles and no dangling references.
    assert.equal(setup.lint.filter((i) => i.code === 'CIRCULAR_REFERENCE').length, 0);
    assert.equal(setup.lint.filter((i) => i.code === 'MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS').length, 0);
    const shots = {};
    for (const view of ['users', 'attributes', 'orgUnits', 'problems']) {
      await page.evaluate((v) => roster.ui({ action: 'view', view: v }), view);
      if (view === 'orgUnits') {
        // Open the unit in the editor: click its row in the list.
        await page.waitForTimeout(200);
        await page.mouse.click(330, 130);
      }
      await page.waitForTimeout(400);
      shots[view] = await screenshot(page, `attributes-${view}.png`);
      const st = imageStats(fs.readFileSync(shots[view]));
      assert.ok(st.distinctColors > 20, `${view}: many colours drawn (${st.distinctColors})`);
    }
    // What each view must show, from the data: the Users table a person's name in each visible
    // row; Attributes the empty view's lines plus one per attribute; the org unit open in its
    // editor a line per member (the title, name row and its five filter rows besides); Problems
    // its title, tabs, filter and table header, then a row per finding (~18 fit at 860 px).
    const data = await page.evaluate(() => {
      const snap = roster.snapshot();
      return { attributes: snap.attributes.length, members: roster.query(snap.orgUnits[0].filter).length, lint: roster.lint().length,
        names: Object.fromEntries(snap.users.map((u) => [u.id, u.name])) };
    });
    await page.evaluate(() => roster.ui({ action: 'view', view: 'users' }));
    await page.waitForTimeout(300);
    const table = await page.evaluate(() => roster.ui({ action: 'usersTable' }));
    const usersShot = decodePng(fs.readFileSync(shots.users));
    const drawn = usersTableInk(usersShot, table, { scale: state.dpr * state.scale });
    assert.ok(drawn.rows.length >= 10, `rows on screen: ${drawn.rows.length}`);
    for (const r of drawn.rows) assert.ok(r.inkWidth >= Math.min(data.names[r.id].length, 14) * 4 * state.dpr, `${data.names[r.id]}: drawn in its row (${r.inkWidth} px)`);
    const byLen = drawn.rows.map((r) => ({ n: data.names[r.id].length, w: r.inkWidth })).filter((x) => x.n <= 14).sort((a, b) => a.n - b.n);
    assert.ok(byLen.length >= 2 && byLen[byLen.length - 1].n - byLen[0].n >= 4, 'a short and a long name on screen');
    assert.ok(byLen[byLen.length - 1].w > byLen[0].w, `the longer name is wider: ${JSON.stringify([byLen[0], byLen[byLen.length - 1]])}`);
    const elsewhere = usersTableInk(decodePng(fs.readFileSync(shots.attributes)), table, { scale: state.dpr * state.scale });
    assert.ok(elsewhere.rows.some((r, i) => Math.abs(r.inkWidth - drawn.rows[i].inkWidth) > 4 * state.dpr), 'another view does not draw those names there');
    const want = {
      attributes: empty.attributes + data.attributes,
      orgUnits: 7 + data.members,
      problems: 4 + Math.min(data.lint, 18),
    };
    assert.ok(data.attributes >= 5 && data.members >= 3 && data.lint >= 10, JSON.stringify({ ...data, names: undefined }));
    for (const view of ['attributes', 'orgUnits', 'problems']) {
      const got = linesIn(shots[view]);
      assert.ok(got >= want[view], `${view}: ${got} lines drawn, at least ${want[view]} expected`);
      assert.ok(empty[view] < want[view], `${view} of the empty directory: ${empty[view]} lines`);
    }
    await page.evaluate(() => roster.ui({ action: 'view', view: 'problems' }));
    // The Problems view shows what roster.lint() finds (its lint runs in slices across frames),
    // and its reporting lines read the manager relation: trees, nobody matching no one.
    const untilDone = (pred) => page.waitForFunction(pred, null, { timeout: 20000, polling: 50 });
    await untilDone(() => { const s = roster.stats(); return s.problems.revision === s.revision && !s.problems.checking; });
    const problems = await page.evaluate(() => ({ shown: roster.stats().problems.count, lint: roster.lint().length }));
    assert.equal(problems.shown, problems.lint);
    assert.equal((await page.evaluate(() => roster.ui({ action: 'problemsTab', tab: 'reportingLines' }))).ok, true);
    await untilDone(() => { const s = roster.stats(); return s.problems.tree && s.problems.tree.revision === s.revision && !s.problems.treeReading; });
    const lines = await page.evaluate(() => ({ p: roster.stats().problems, users: roster.stats().users,
      withManager: roster.snapshot().users.filter((u) => (u.attributes.manager_email || '').trim() !== '').length }));
    assert.equal(lines.p.tab, 'reportingLines');
    assert.equal(lines.p.tree.attribute, 'manager_email');
    assert.ok(lines.p.tree.trees >= 1, `trees: ${lines.p.tree.trees}`);
    assert.equal(lines.p.tree.unresolved, 0);
    assert.equal(lines.p.tree.withValue, lines.withManager);
    await page.waitForTimeout(300);
    const treeFile = await screenshot(page, 'attributes-reporting-lines.png');
    const treeShot = imageStats(fs.readFileSync(treeFile));
    assert.ok(treeShot.distinctColors > 20, `reporting lines: many colours drawn (${treeShot.distinctColors})`);
    // Title, tabs, relation and legend, then a line per tree row (~30 fit).
    const wantTree = 4 + Math.min(lines.p.tree.rows, 25);
    assert.ok(linesIn(treeFile) >= wantTree, `reporting lines: ${linesIn(treeFile)} lines drawn, at least ${wantTree} expected`);
    assert.ok(empty.reportingLines < wantTree, `reporting lines of the empty directory: ${empty.reportingLines} lines`);
    assert.equal((await page.evaluate(() => roster.ui({ action: 'problemsTab', tab: 'nope' }))).error.code, 'INVALID_ARGUMENT');
    // A multi-selection shows the bulk editor.
    await page.evaluate(() => {
      roster.ui({ action: 'view', view: 'users' });
      const ids = roster.snapshot().users.slice(0, 5).map((u) => u.id);
      roster.ui({ action: 'select', ids });
    });
    await page.waitForTimeout(300);
    await screenshot(page, 'attributes-bulk.png');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('reporting lines list every tree and every report (no cap), opening a manager lists their reports', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    // Text lines in the main pane; the empty directory's reporting lines first.
    const state = await page.evaluate(() => roster.ui('state'));
    const linesIn = (file) => { const L = appLayout(state); return inkBands(fs.readFileSync(file), L.main, { scale: L.scale }).length; };
    await page.evaluate(() => { roster.ui({ action: 'view', view: 'problems' }); roster.ui({ action: 'problemsTab', tab: 'reportingLines' }); });
    await page.waitForTimeout(300);
    const emptyLines = linesIn(await screenshot(page, 'reporting-lines-empty.png'));
    // 400 small trees (a root with two reports: open by default) and one manager of 500 (closed).
    const lines = ['Full_Name,Email,Manager_email'];
    for (let i = 0; i < 400; i++) {
      lines.push(`Root ${i},root${i}@x.com,`, `A ${i},a${i}@x.com,root${i}@x.com`, `B ${i},b${i}@x.com,root${i}@x.com`);
    }
    lines.push('Big Boss,boss@x.com,');
    for (let i = 0; i < 500; i++) lines.push(`R ${i},r${i}@x.com,boss@x.com`);
    const imp = await page.evaluate((csv) => roster.applyImport(csv, { mode: 'replace' }), lines.join('\n') + '\n');
    assert.equal(imp.applied, true, JSON.stringify(imp.errors && imp.errors.slice(0, 2)));
    await page.evaluate(() => { roster.ui({ action: 'view', view: 'problems' }); roster.ui({ action: 'problemsTab', tab: 'reportingLines' }); });
    const tree = () => page.waitForFunction(() => { const s = roster.stats(); const t = s.problems.tree;
      return t && t.revision === s.revision && !s.problems.treeReading && t.rows > 0 ? t : null; }, null, { timeout: 20000, polling: 50 }).then((h) => h.jsonValue());
    await page.waitForTimeout(200);
    let t = await tree();
    assert.equal(t.trees, 401);
    assert.equal(t.withValue, 1300);
    assert.equal(t.rows, 401 + 800, 'every root, and the reports of the small (open) ones');
    // The biggest tree comes first: open it with a click on its arrow.
    await page.waitForTimeout(300);
    const shot = await screenshot(page, 'reporting-lines-many.png');
    assert.ok(imageStats(fs.readFileSync(shot)).distinctColors > 20);
    // Title, tabs, relation and legend, then a line per tree row: the view is full (~30 fit).
    assert.ok(linesIn(shot) >= 4 + 25, `${linesIn(shot)} lines drawn`);
    assert.ok(emptyLines < 4 + 25, `the empty directory's reporting lines: ${emptyLines} lines`);
    // The first tree row (Big Boss) is under the "Roots are…" line; its arrow is at the row's left:
    // click down the list's first rows until the tree grows by exactly Big Boss's reports.
    let opened = false;
    for (let y = 120; y < 260 && !opened; y += 6) {
      await page.mouse.move(250, y);
      await page.waitForTimeout(60);
      await page.mouse.click(250, y);
      await page.waitForTimeout(200);
      t = (await page.evaluate(() => roster.stats().problems.tree));
      opened = t.rows === 401 + 800 + 500;
    }
    assert.ok(opened, `opening Big Boss lists the 500 reports (rows ${t.rows})`);
    await screenshot(page, 'reporting-lines-open.png');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
