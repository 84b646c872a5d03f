// The Users table at scale (150,000 people imported from a generated CSV): rows are windowed by an
// integer first row, so the end is reachable exactly (wheel, End/Home/Page keys, clicks map to the
// right person); sorting runs as a Job with progress and Cancel and matches a stable reference
// order; the search narrows in slices and stays correct.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile, screenshot } from './harness.mjs';

const N = 150000;
let srv, ctx, page;

// The generated directory, also rebuilt in the page to compute reference orders.
function makeRows(n) {
  const F = ['alice', 'Bob', 'Carmen', 'dmitri', 'Eve', 'Fatima', 'George', 'hana', 'Ivan', 'Jean-Luc', 'Karen', 'Li', 'Maximilian', 'Nora'];
  const L = ['Smith', 'brown', 'Kowalski', 'Nguyen', 'Okafor', 'Rossi', 'Schmidt', 'Tanaka', 'Vargas', 'White', 'Abernathy-Longname'];
  const T = ['Platform', 'infra', 'Data', 'mobile', 'Payments', 'Search', 'Security'];
  const rows = [];
  for (let i = 0; i < n; i++) {
    let name = `${F[(i * 5) % F.length]} ${L[(i * 13) % L.length]}`;
    if (i % 5 === 0) name = name.toLowerCase();
    if (i % 17 === 0) name = name.toUpperCase();
    const team = i % 11 === 0 ? '' : T[(i * 3) % T.length];
    const score = i % 7 === 0 ? '' : String(((i * 7919) % 1000) - 500);
    const start = i % 9 === 0 ? '' : `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`;
    rows.push({ name, email: `p${i}@example.com`, team, score, start });
  }
  return rows;
}

const pageErrors = () => page.rosterLog.errors;
const frames = (p, n = 2) => p.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
// A row's selectable is clickable once it was hovered in a previous frame (ImGui's AllowOverlap), as
// it is when a person moves the mouse: move there first, then click.
async function clickAt(p, x, y) {
  await p.mouse.move(x, y);
  await frames(p, 3);
  await p.mouse.click(x, y);
  await frames(p, 5);
}
const table = (p, arg = {}) => p.evaluate((a) => window.roster.ui(Object.assign({ action: 'usersTable' }, a)), arg);
async function until(p, fn, arg, ms = 60000) {
  const t0 = Date.now();
  for (;;) {
    const v = await p.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for ' + fn.toString());
    await frames(p, 1);
  }
}

before(async () => {
  srv = await startServer(process.env.ROSTER_SITE || undefined);
  ctx = await launch(tempProfile());
  page = await openApp(ctx, srv.url);
  const rows = makeRows(N);
  const csv = 'Full_Name,Email,Team_name,Score,Start_date\n' + rows.map((r) => [r.name, r.email, r.team, r.score, r.start].join(',')).join('\n') + '\n';
  const plan = await page.evaluate((csv) => window.roster.applyImport(csv, { mode: 'replace' }), csv);
  assert.equal(plan.applied, true, JSON.stringify(plan.errors && plan.errors.slice(0, 3)));
  assert.equal(plan.counts.added, N);
  // The ids in directory order, and the generated values by id.
  await page.evaluate(() => { window.__ids = window.roster.query({ all: [] }); });
  await page.evaluate((rows) => { window.__rows = rows; }, rows);
  await frames(page, 3);
});
after(async () => { await ctx.close(); await srv.close(); });

test('the end of the table is reachable exactly: scrollbar position, wheel, End/Home/Page keys and clicks map to the right person', async () => {
  await page.evaluate(() => window.roster.ui({ action: 'scrollUsers', to: 'end' }));
  await frames(page);
  let t = await table(page);
  assert.equal(t.rows, N);
  assert.ok(t.visibleRows >= 5, `${t.visibleRows} rows visible`);
  assert.equal(t.firstRow + t.visibleRows, N, 'the last row is the last fully visible one');
  const lastId = await page.evaluate(() => window.__ids[window.__ids.length - 1]);
  assert.equal(t.ids[t.ids.length - 1], lastId);
  await screenshot(page, 'users-table-end.png');

  // The wheel moves by whole rows and comes back to the exact top.
  await page.evaluate(() => window.roster.ui({ action: 'scrollUsers', row: 0 }));
  await frames(page);
  t = await table(page);
  const x = t.left + 60, yRow = (k) => t.rowsTop + t.rowPitch * k + t.rowPitch / 2;
  await page.mouse.move(x, yRow(3));
  for (let i = 0; i < 5; i++) { await page.mouse.wheel(0, 300); await frames(page, 1); }
  await frames(page);
  const down = await table(page);
  assert.ok(down.firstRow > 0 && Number.isInteger(down.firstRow), `wheel down moved to ${down.firstRow}`);
  for (let i = 0; i < 5; i++) { await page.mouse.wheel(0, -300); await frames(page, 1); }
  await frames(page);
  assert.equal((await table(page)).firstRow, 0);
  // The wheel is taken (and cancelled) without a console error: a listener Chrome treats as
  // passive cannot cancel it, and said so on every wheel event.
  assert.deepEqual(page.rosterLog.console.filter((l) => /preventDefault|passive/i.test(l)), []);

  // A click selects the person drawn in that row.
  await clickAt(page, x, yRow(2));
  t = await table(page);
  assert.equal(t.focus, t.ids[2]);
  assert.equal(t.focus, await page.evaluate(() => window.__ids[2]));

  await page.keyboard.press('End');
  await frames(page, 5);   // input trickles in over frames (move, down, up)
  t = await table(page);
  assert.equal(t.focus, lastId, 'End focuses the last person');
  assert.equal(t.firstRow + t.visibleRows, N);
  assert.equal(t.ids[t.ids.length - 1], lastId);
  // A click on the last visible row near the end still maps exactly.
  await clickAt(page, x, yRow(t.visibleRows - 2));
  const t2 = await table(page);
  assert.equal(t2.focus, await page.evaluate((i) => window.__ids[i], N - 2));

  await page.keyboard.press('Home');
  await frames(page, 5);   // input trickles in over frames (move, down, up)
  t = await table(page);
  assert.equal(t.firstRow, 0);
  assert.equal(t.focus, await page.evaluate(() => window.__ids[0]));
  await page.keyboard.press('PageDown');
  await frames(page, 5);   // input trickles in over frames (move, down, up)
  t = await table(page);
  const focusIndex = await page.evaluate((id) => window.__ids.indexOf(id), t.focus);
  assert.equal(focusIndex, t.visibleRows - 1, 'Page Down moves by a page');
  assert.ok(focusIndex >= t.firstRow && focusIndex < t.firstRow + t.visibleRows, 'the focused row is visible');
  await page.keyboard.press('PageUp');
  await frames(page, 5);   // input trickles in over frames (move, down, up)
  t = await table(page);
  assert.equal(t.focus, await page.evaluate(() => window.__ids[0]));
  // The suggestions of 150,000 people (no two share an email) settle too, with a current count.
  const sugg = await until(page, () => { const n = window.roster.stats().nav.suggestions; return n.counting ? null : n; }, undefined, 120000);
  assert.equal(sugg.count, await page.evaluate(() => window.roster.suggestions().length));
  assert.deepEqual(pageErrors(), []);
});

// The reference: a stable sort of directory order with the table's comparator.
async function expectedOrder(column, ascending) {
  return page.evaluate(({ column, ascending }) => {
    const ids = window.__ids, rows = window.__rows;
    const fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const cmpText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const idx = ids.map((_, i) => i);
    const field = { name: 'name', team_name: 'team', score: 'score', start_date: 'start' }[column];
    const numeric = column === 'score';
    const blanksLast = column !== 'name';
    const key = rows.map((r) => (numeric ? (r.score === '' ? null : Number(r.score)) : fold(r[field])));
    idx.sort((a, b) => {
      const x = key[a], y = key[b];
      const bx = blanksLast && (x === null || x === ''), by = blanksLast && (y === null || y === '');
      if (bx !== by) return bx ? 1 : -1;
      if (bx) return a - b;
      const c = numeric ? x - y : cmpText(x, y);
      if (c !== 0) return ascending ? c : -c;
      return a - b;   // stable
    });
    return idx.map((i) => ids[i]);
  }, { column, ascending });
}

async function sortAndWait(column, ascending) {
  const r = await page.evaluate(({ column, ascending }) => window.roster.ui({ action: 'sortUsers', column, ascending }), { column, ascending });
  assert.equal(r.ok, true, JSON.stringify(r));
  await until(page, ({ column, ascending }) => {
    const s = window.roster.stats();
    return !s.job && s.usersTable.shownSortColumn === column && s.usersTable.shownAscending === ascending && !s.usersTable.sorting;
  }, { column, ascending });
  return table(page, { from: 0, count: N });
}

test('sorting by text, number and date columns matches a stable reference; it runs as a job with progress', async () => {
  await page.evaluate(() => window.roster.ui({ action: 'jobBudget', ms: 0.01 }));   // slow enough to watch
  await page.evaluate(() => window.roster.ui({ action: 'sortUsers', column: 'name', ascending: true }));
  const seen = await until(page, () => { const j = window.roster.stats().job; return j && j.done > 0 && j.seconds > 0.2 ? j : null; });
  assert.match(seen.title, /Sorting users by name/);
  assert.equal(seen.total, N);
  assert.equal(seen.unit, 'rows');
  assert.equal(seen.cancellable, true);
  assert.ok(seen.phase.length > 0);
  await frames(page, 3);
  await screenshot(page, 'users-table-sort-progress.png');
  await page.evaluate(() => window.roster.ui({ action: 'jobBudget', ms: 0 }));
  for (const [column, ascending] of [['name', true], ['name', false], ['score', true], ['score', false], ['start_date', true], ['team_name', false]]) {
    const t = await sortAndWait(column, ascending);
    const want = await expectedOrder(column, ascending);
    assert.equal(t.ids.length, N);
    const firstDiff = t.ids.findIndex((id, i) => id !== want[i]);
    assert.equal(firstDiff, -1, `${column} ${ascending ? 'asc' : 'desc'}: first difference at row ${firstDiff}: ${t.ids[firstDiff]} vs ${want[firstDiff]}`);
    assert.equal(t.sortColumn, column);
    assert.equal(t.sortAscending, ascending);
  }
  const last = await page.evaluate(() => window.roster.stats().lastJob);
  assert.equal(last.cancelled, false);
  await screenshot(page, 'users-table-sorted.png');
  // The suggestions of 150,000 people (no two share an email) settle too, with a current count.
  const sugg = await until(page, () => { const n = window.roster.stats().nav.suggestions; return n.counting ? null : n; }, undefined, 120000);
  assert.equal(sugg.count, await page.evaluate(() => window.roster.suggestions().length));
  assert.deepEqual(pageErrors(), []);
});

test('Cancel (Escape in the progress dialog, or the API) stops a sort and keeps the previous order', async () => {
  await sortAndWait('name', true);
  const before = await table(page, { from: 0, count: 50 });
  await page.evaluate(() => window.roster.ui({ action: 'jobBudget', ms: 0.01 }));   // a few thousand rows a frame
  await page.evaluate(() => window.roster.ui({ action: 'sortUsers', column: 'score', ascending: false }));
  await until(page, () => { const j = window.roster.stats().job; return j && j.seconds > 0.3; });
  await frames(page, 2);
  await screenshot(page, 'users-table-cancel-dialog.png');
  await page.keyboard.press('Escape');
  await until(page, () => !window.roster.stats().job);
  let s = await page.evaluate(() => window.roster.stats());
  assert.equal(s.lastJob.cancelled, true);
  await frames(page, 3);
  let t = await table(page, { from: 0, count: 50 });
  assert.equal(t.sortColumn, 'name', 'the header shows the previous order again');
  assert.equal(t.shownSortColumn, 'name');
  assert.deepEqual(t.ids, before.ids);

  // The same through the API.
  await page.evaluate(() => window.roster.ui({ action: 'sortUsers', column: 'start_date', ascending: true }));
  await until(page, () => !!window.roster.stats().job);
  const c = await page.evaluate(() => window.roster.ui({ action: 'cancelJob' }));
  assert.equal(c.ok, true);
  await until(page, () => !window.roster.stats().job);
  await frames(page, 3);
  t = await table(page, { from: 0, count: 50 });
  assert.equal(t.sortColumn, 'name');
  assert.deepEqual(t.ids, before.ids);
  const none = await page.evaluate(() => window.roster.ui({ action: 'cancelJob' }));
  assert.equal(none.error.code, 'NOT_FOUND');
  await page.evaluate(() => window.roster.ui({ action: 'jobBudget', ms: 0 }));
  // The suggestions of 150,000 people (no two share an email) settle too, with a current count.
  const sugg = await until(page, () => { const n = window.roster.stats().nav.suggestions; return n.counting ? null : n; }, undefined, 120000);
  assert.equal(sugg.count, await page.evaluate(() => window.roster.suggestions().length));
  assert.deepEqual(pageErrors(), []);
});

test('the search narrows in slices, keeps the sort order, and follows edits', async () => {
  await sortAndWait('name', true);
  const sorted = (await table(page, { from: 0, count: N })).ids;
  const expect = (needle) => page.evaluate(({ needle, sorted }) => {
    const byId = new Map(window.__ids.map((id, i) => [id, window.__rows[i]]));
    const n = needle.toLowerCase();
    return sorted.filter((id) => { const r = byId.get(id); return r.name.toLowerCase().includes(n) || r.email.toLowerCase().includes(n); });
  }, { needle, sorted });
  for (const text of ['an', 'ann', 'KAREN', 'p12', '']) {
    await page.evaluate((text) => window.roster.ui({ action: 'searchUsers', text }), text);
    await until(page, (text) => { const t = window.roster.stats().usersTable; return !t.searching && t.search === text.trim(); }, text);
    const t = await table(page, { from: 0, count: N });
    const want = text ? await expect(text) : sorted;
    assert.equal(t.rows, want.length, `"${text}"`);
    assert.deepEqual(t.ids, want, `"${text}"`);
  }
  // An edit re-sorts quietly: a renamed person moves to their new place.
  const id = sorted[sorted.length - 1];
  const r = await page.evaluate((id) => window.roster.command({ op: 'updateUser', id, name: 'AAAA first now' }), id);
  assert.equal(r.ok, true);
  await until(page, () => { const t = window.roster.stats().usersTable; return !t.sorting && !t.searching; });
  await frames(page, 2);
  const t = await table(page, { from: 0, count: 3 });
  assert.equal(t.rows, N);
  assert.equal(t.ids[0], id);
  // The suggestions of 150,000 people (no two share an email) settle too, with a current count.
  const sugg = await until(page, () => { const n = window.roster.stats().nav.suggestions; return n.counting ? null : n; }, undefined, 120000);
  assert.equal(sugg.count, await page.evaluate(() => window.roster.suggestions().length));
  assert.deepEqual(pageErrors(), []);
});

test('the navigation shows "…" for the Problems and Suggestions counts while they lag an edit, then the new counts', async () => {
  await page.evaluate(() => window.roster.ui({ action: 'view', view: 'users' }));
  const settled = () => { const s = window.roster.stats(); return s.problems.revision === s.revision && !s.nav.problems.counting ? s.nav.problems : null; };
  const before = await until(page, settled, undefined, 120000);
  assert.equal(before.count, await page.evaluate(() => window.roster.lint().length));
  // A change that every person's findings depend on: an SCM integration nobody has an account in.
  const r = await page.evaluate(() => window.roster.command({ op: 'addIntegration', name: 'GitHub', kind: 'scm' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const want = await page.evaluate(() => window.roster.lint().length);
  // 150,000 people take many frames of background slices: the navigation says so instead of
  // showing the old count as if it were current.
  const seen = await until(page, () => { const s = window.roster.stats(); return s.nav.problems.counting ? { nav: s.nav.problems, rev: s.problems.revision, now: s.revision } : null; }, undefined, 30000);
  assert.equal(seen.nav.count, before.count, 'while counting, the last count is kept (shown in the tooltip)');
  assert.notEqual(seen.rev, seen.now);
  await screenshot(page, 'nav-counting.png');
  const after = await until(page, settled, undefined, 120000);
  assert.equal(after.count, want);
  assert.notEqual(want, before.count, 'the edit changed the findings');
  // The suggestions of 150,000 people (no two share an email) settle too, with a current count.
  const sugg = await until(page, () => { const n = window.roster.stats().nav.suggestions; return n.counting ? null : n; }, undefined, 120000);
  assert.equal(sugg.count, await page.evaluate(() => window.roster.suggestions().length));
  assert.deepEqual(pageErrors(), []);
});

test('with more than two attribute columns each is as wide as what it holds, and the table scrolls sideways', async () => {
  await page.evaluate(() => window.roster.ui({ action: 'view', view: 'users' }));
  const cols = async () => Object.fromEntries((await table(page)).columns.map((c) => [c.key, c.width]));
  const two = await cols();
  assert.deepEqual(Object.keys(two), ['name', 'email', 'accounts', 'team_name', 'score'], 'the first two attributes by default');
  const r = await page.evaluate(() => window.roster.ui({ action: 'showColumns', attributes: 'all' }));
  assert.deepEqual(r, { ok: true, shown: 3 });
  await frames(page, 4);
  const all = await cols();
  assert.deepEqual(Object.keys(all), ['name', 'email', 'accounts', 'team_name', 'score', 'start_date']);
  // Scores ("-500".."499") are narrower than dates ("2010-01-10") and team names under the header
  // "Team_name": fixed widths fitted to the values, not one width for every attribute.
  assert.ok(all.score < all.start_date && all.score < all.team_name, JSON.stringify(all));
  // Emails of the first rows ("p12@example.com") are wider than dates.
  assert.ok(all.email > all.start_date, JSON.stringify(all));
  await screenshot(page, 'users-all-columns.png');
  // Back to the default two; the table stretches to the pane again.
  await page.evaluate(() => window.roster.ui({ action: 'showColumns', attributes: ['team_name', 'score'] }));
  await frames(page, 4);
  assert.deepEqual(Object.keys(await cols()), ['name', 'email', 'accounts', 'team_name', 'score']);
  assert.deepEqual(pageErrors(), []);
});
