// Issue 19 part 1: the accessibility tree mirrored into the DOM. Read through Playwright's
// ariaSnapshot (the real Chromium's accessibility semantics): the navigation with its counts, the
// users grid with aria-rowcount (people + the header row) and the selected row, the selected
// person's name and email as labelled fields, the import dialog and its buttons; names made of HTML
// reach the DOM as text and nothing runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openApp, tempProfile, ROOT } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const frames = (page, n) => page.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);

test('mirror: navigation with counts, the users grid, the selected person as labelled fields', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const csv = fs.readFileSync(path.join(ROOT, 'assets', 'sample', 'sei-users.csv'), 'utf8');
    const plan = await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), csv);
    assert.equal(plan.applied, true);
    const users = await page.evaluate(() => roster.snapshot().users);
    const pick = users[2];
    await page.evaluate((id) => roster.ui({ action: 'select', ids: [id] }), pick.id);
    await frames(page, 6);
    const snap = await page.locator('body').ariaSnapshot();
    // The navigation landmark, its entries named with their counts, the current one marked.
    assert.match(snap, /navigation "Directory":/);
    assert.match(snap, new RegExp(`link "Users, ${users.length}"`));
    assert.match(snap, /link "Unassigned accounts, \d+"/);
    assert.equal(await page.evaluate(() => document.querySelector('#a11y nav [aria-current=page]').textContent), `Users, ${users.length}`);
    // The grid: every person counted (aria-rowcount = people + header), headers, the visible rows
    // with their indexes, the selected one.
    assert.match(snap, /grid "Users":/);
    assert.match(snap, /columnheader "Name"/);
    assert.match(snap, /columnheader "Email"/);
    const grid = await page.evaluate(() => {
      const g = document.querySelector('#a11y [role=grid][aria-label=Users]');
      const rows = [...g.querySelectorAll('[role=row]')];
      return { rowcount: g.getAttribute('aria-rowcount'), colcount: g.getAttribute('aria-colcount'), n: rows.length,
        indexes: rows.map((r) => +r.getAttribute('aria-rowindex')),
        selected: rows.filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => [...r.children].map((c) => c.textContent)) };
    });
    assert.equal(grid.rowcount, String(users.length + 1));
    assert.ok(grid.n > 10 && grid.n < 60, `only the visible window of rows is mirrored (${grid.n})`);
    assert.equal(grid.indexes[0], 1);
    assert.deepEqual(grid.indexes.slice(1), grid.indexes.slice(1).map((_, k) => grid.indexes[1] + k), 'consecutive row indexes');
    assert.equal(grid.selected.length, 1);
    assert.equal(grid.selected[0][0], pick.name);
    assert.equal(grid.selected[0][1], pick.email);
    // The editor: the person's name and email as labelled text fields.
    assert.match(snap, new RegExp(`textbox "Name": ${pick.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(snap, new RegExp(`textbox "Email": ${pick.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // Each element sits over its widget: the selected row's mirror is where the canvas drew it.
    const box = await page.evaluate(() => { const r = document.querySelector('#a11y [role=row][aria-selected=true]').getBoundingClientRect(); return { y: r.y, h: r.height }; });
    assert.ok(box.h > 10 && box.y > 60, JSON.stringify(box));
    // Scrolling moves the window: other rows, other indexes, in the same elements (the k-th row
    // drawn keeps its element: scrolling rewrites texts, it creates and removes nothing).
    await page.evaluate(() => { window.__rowEls = [...document.querySelectorAll('#a11y [role=grid] [role=row][data-row]')]; });
    await page.evaluate(() => roster.ui({ action: 'scrollUsers', row: 200 }));
    await frames(page, 6);
    const first = await page.evaluate(() => +document.querySelectorAll('#a11y [role=grid] [role=row]')[1].getAttribute('aria-rowindex'));
    assert.ok(first >= 150, `after scrolling the first mirrored row is ${first}`);
    const reused = await page.evaluate(() => {
      const now = [...document.querySelectorAll('#a11y [role=grid] [role=row][data-row]')];
      return { n: now.length, same: now.filter((e, k) => e === window.__rowEls[k]).length, texts: now.map((e) => e.firstChild.textContent) };
    });
    assert.equal(reused.same, reused.n, 'the row elements are the same ones');
    const topId = (await page.evaluate(() => roster.ui({ action: 'usersTable' }))).ids[0];
    assert.equal(reused.texts[0], users.find((u) => u.id === topId).name, 'with the new rows\' texts');
    // The mirror turned off and on again is published whole at once, though nothing changed.
    await page.evaluate(() => roster.ui({ action: 'a11y', on: false }));
    await frames(page, 3);
    assert.equal(await page.evaluate(() => document.getElementById('a11y')), null);
    await page.evaluate(() => roster.ui({ action: 'a11y', on: true }));
    await frames(page, 3);
    assert.equal(await page.evaluate(() => +document.querySelectorAll('#a11y [role=grid] [role=row]')[1].getAttribute('aria-rowindex')), first);
    // The mirror touches the DOM only when the frame's tree changed.
    const before = await page.evaluate(() => Module.rosterA11yUpdates);
    await frames(page, 30);
    assert.ok((await page.evaluate(() => Module.rosterA11yUpdates)) - before <= 2, 'no rebuild per frame');
  } finally { await ctx.close(); }
});

test('mirror: the import preview is a dialog with its buttons', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Full_Name,Email\nAda Lovelace,ada@example.com\n'], 'people.csv', { type: 'text/csv' }));
      const c = document.getElementById('canvas');
      for (const type of ['dragenter', 'dragover', 'drop']) c.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 20000 });
    await frames(page, 8);
    const snap = await page.locator('body').ariaSnapshot();
    assert.match(snap, /dialog "Import preview"/);
    const dialog = snap.slice(snap.indexOf('dialog "Import preview"'));
    assert.match(dialog, /button "Apply import/);
    assert.match(dialog, /button "Cancel"/);
    assert.match(dialog, /tab "Added \(1\)"/);
  } finally { await ctx.close(); }
});

test('mirror: names made of HTML and script are shown as text, nothing runs', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const evil = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', '"><svg onload=window.__pwned=3>'];
    const csv = 'Full_Name,Email,Team\n' + evil.map((n, k) => `"${n.replace(/"/g, '""')}",p${k}@example.com,"<b>team ${k}</b>"`).join('\n') + '\n';
    const plan = await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), csv);
    assert.equal(plan.applied, true, JSON.stringify(plan.errors));
    await page.evaluate(() => roster.ui({ action: 'select', ids: [roster.snapshot().users[0].id] }));
    await frames(page, 8);
    const seen = await page.evaluate(() => ({
      cells: [...document.querySelectorAll('#a11y [role=gridcell]')].map((c) => c.textContent),
      elements: document.querySelectorAll('#a11y img, #a11y script, #a11y svg, #a11y b').length,
      name: document.querySelector('#a11y input[aria-label=Name]').value,
      pwned: window.__pwned,
    }));
    for (const n of evil) assert.ok(seen.cells.includes(n), `${n} shown as text`);
    assert.ok(seen.cells.includes('<b>team 0</b>'));
    assert.equal(seen.elements, 0);
    assert.equal(seen.name, evil[0]);
    assert.equal(seen.pwned, undefined);
  } finally { await ctx.close(); }
});
