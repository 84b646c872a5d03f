// Issue 19: the users grid's cell cursor and grid focus from the page, with the keyboard alone.
// Left/Right move a focused cell along the focused row (the mirror's grid names it with
// aria-activedescendant; its gridcells carry aria-colindex), Up/Down keep the column, Enter edits
// that cell's field in the editor; the cell is framed on the canvas. A screen reader focusing a row
// or cell element of the mirror moves the table's focus and selection there.
// roster.applyImport sets the directory up; every step under test is a key press (or, for the
// screen reader, element.focus()); roster.* is only read to check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openApp, tempProfile, ROOT, screenshot, decodePng } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const SAMPLE = path.join(ROOT, 'assets', 'sample', 'sei-users.csv');
const frames = (page, n) => page.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);

// The DOM focus: for the grid, the element its aria-activedescendant names (a cell: its column
// index, text, header and row; a row: its index).
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement, root = document.getElementById('a11y');
  if (!a || !root || !root.contains(a)) return { inMirror: false, tag: a && a.tagName };
  const role = a.getAttribute('role') || a.dataset.role || a.tagName.toLowerCase();
  const out = { inMirror: true, role, name: a.getAttribute('aria-label') || a.textContent, value: a.value, marked: a.getAttribute('data-focused') === 'true',
    dialog: a.closest('[role=dialog]') ? a.closest('[role=dialog]').getAttribute('aria-label') : null,
    list: a.closest('[role=list]') ? a.closest('[role=list]').getAttribute('aria-label') : null };
  if (role === 'grid') {
    const d = a.getAttribute('aria-activedescendant') && document.getElementById(a.getAttribute('aria-activedescendant'));
    const cell = d && d.getAttribute('role') === 'gridcell' ? d : null, row = cell ? cell.parentElement : d;
    out.row = row ? { index: +row.getAttribute('aria-rowindex'), marked: row.getAttribute('data-focused') === 'true', cells: [...row.children].map((c) => c.textContent) } : null;
    if (cell) {
      const col = +cell.getAttribute('aria-colindex');
      const head = a.querySelector(`[role=columnheader][aria-colindex="${col}"]`);
      const r = cell.getBoundingClientRect();
      out.cell = { col, text: cell.textContent, header: head && head.textContent, marked: cell.getAttribute('data-focused') === 'true', rect: { x: r.x, y: r.y, w: r.width, h: r.height } };
    }
  }
  return out;
});

async function press(page, key, n = 1) {
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    await frames(page, 3);
  }
  return focused(page);
}

// Presses Tab until the focused element's name matches `want`; answers the stops on the way.
async function tabTo(page, want, max = 40) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (f.inMirror && want.test(f.name)) return { f, seen };
    seen.push(f);
    await press(page, 'Tab');
  }
  assert.fail(`Tab never reached ${want}: ${seen.map((s) => s.name).join(' | ')}`);
}

// Pixels of the page inside a rectangle (CSS px, device scale 1) that differ between two screenshots.
function differing(a, b, r) {
  const A = decodePng(a), B = decodePng(b);
  let n = 0;
  for (let y = Math.ceil(r.y); y < Math.floor(r.y + r.h); y++)
    for (let x = Math.ceil(r.x); x < Math.floor(r.x + r.w); x++) {
      const i = (y * A.width + x) * A.channels;
      if (Math.abs(A.data[i] - B.data[i]) + Math.abs(A.data[i + 1] - B.data[i + 1]) + Math.abs(A.data[i + 2] - B.data[i + 2]) > 30) n++;
    }
  return n;
}

async function setUp(ctx) {
  const page = await openApp(ctx, srv.url);
  const plan = await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), fs.readFileSync(SAMPLE, 'utf8'));
  assert.equal(plan.applied, true);
  await frames(page, 4);
  return page;
}

test('cell cursor: Left/Right along the row, named by the grid, drawn on the canvas; Enter edits that cell', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await setUp(ctx);
    const table = () => page.evaluate(() => roster.ui({ action: 'usersTable' }));
    const users = await page.evaluate(() => roster.snapshot().users);
    const byId = (id) => users.find((u) => u.id === id);
    // Alt+1: the table has the keyboard, on the first person's first cell.
    let f = await press(page, 'Alt+1');
    assert.equal(f.role, 'grid');
    assert.equal(f.row.index, 2);
    let t = await table();
    let person = byId(t.focus);
    assert.deepEqual([f.cell.col, f.cell.header, f.cell.text, f.cell.marked, t.focusColumn], [1, 'Name', person.name, true, 'name']);
    const nameCell = f.cell;
    const shot0 = await page.screenshot();
    // Right: the email cell, of the same row.
    f = await press(page, 'ArrowRight');
    t = await table();
    assert.equal(f.row.index, 2);
    assert.deepEqual([f.cell.col, f.cell.header, f.cell.text, f.cell.marked, t.focusColumn], [2, 'Email', person.email, true, 'email']);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#a11y [role=gridcell][data-focused]').length), 1, 'one focused cell');
    // The canvas draws the cursor: the email cell changed, the name cell lost its frame.
    const shot1 = await page.screenshot();
    const emailCell = f.cell;
    assert.ok(emailCell.rect.x >= nameCell.rect.x + nameCell.rect.w - 2, `cells over their columns: ${JSON.stringify([nameCell.rect, emailCell.rect])}`);
    const changedEmail = differing(shot0, shot1, emailCell.rect), changedName = differing(shot0, shot1, nameCell.rect);
    assert.ok(changedEmail > emailCell.rect.w, `the email cell is framed (${changedEmail} pixels changed)`);
    assert.ok(changedName > nameCell.rect.w, `the name cell is not any more (${changedName} pixels changed)`);
    // Right twice: Accounts, then the first attribute column.
    f = await press(page, 'ArrowRight');
    assert.deepEqual([f.cell.col, f.cell.header], [3, 'Accounts']);
    assert.equal(f.cell.text, String(person.identities.length));
    f = await press(page, 'ArrowRight');
    t = await table();
    assert.equal(f.cell.col, 4);
    const attrKey = t.focusColumn;
    assert.ok(attrKey in person.attributes, `${attrKey} is an attribute`);
    assert.equal(f.cell.text, person.attributes[attrKey]);
    const attrHeader = f.cell.header;
    await screenshot(page, 'users-cell-cursor.png');
    // Down keeps the column; Up/Page/Home/End still move rows.
    f = await press(page, 'ArrowDown');
    t = await table();
    person = byId(t.focus);
    assert.deepEqual([f.row.index, f.cell.col, f.cell.text], [3, 4, person.attributes[attrKey]]);
    f = await press(page, 'End');
    assert.deepEqual([f.row.index, f.cell.col], [users.length + 1, 4]);
    f = await press(page, 'Home');
    assert.deepEqual([f.row.index, f.cell.col], [2, 4]);
    f = await press(page, 'ArrowDown');
    person = byId((await table()).focus);
    // Left stops at the first column.
    f = await press(page, 'ArrowLeft', 6);
    assert.deepEqual([f.cell.col, f.cell.text], [1, person.name]);
    // Enter on the email cell: the editor's Email field; Esc Esc back to the same cell.
    await press(page, 'ArrowRight');
    f = await press(page, 'Enter');
    assert.deepEqual([f.role, f.name, f.value, f.marked], ['textbox', 'Email', person.email, true]);
    await press(page, 'Escape');
    f = await press(page, 'Escape');
    assert.deepEqual([f.role, f.row.index, f.cell.col], ['grid', 3, 2]);
    // Enter on the attribute's cell: that attribute's field.
    await press(page, 'ArrowRight', 2);
    f = await press(page, 'Enter');
    assert.deepEqual([f.role, f.name, f.value, f.marked], ['textbox', attrHeader, person.attributes[attrKey], true]);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Cell Guild');
    await press(page, 'Enter');
    await page.waitForFunction(([id, k]) => roster.snapshot().users.find((u) => u.id === id).attributes[k] === 'Cell Guild', [person.id, attrKey], { timeout: 5000 });
    await press(page, 'Escape');
    f = await press(page, 'Escape');
    assert.deepEqual([f.role, f.cell.col, f.cell.text], ['grid', 4, 'Cell Guild']);
    // Enter on the name cell: the Name field.
    await press(page, 'ArrowLeft', 3);
    f = await press(page, 'Enter');
    assert.deepEqual([f.name, f.value], ['Name', person.name]);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('grid focus from the page: a screen reader focusing a row or a cell moves the table there', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await setUp(ctx);
    const table = () => page.evaluate(() => roster.ui({ action: 'usersTable' }));
    await press(page, 'Alt+1');
    const t0 = await table();
    // A cell of the sixth visible row, in the Email column.
    const target = await page.evaluate(() => {
      const row = document.querySelectorAll('#a11y [role=grid] [role=row][data-row]')[5];
      const cell = row.querySelector('[role=gridcell][aria-colindex="2"]');
      cell.focus();
      return { index: +row.getAttribute('aria-rowindex'), text: cell.textContent, focusedNow: document.activeElement === cell };
    });
    assert.ok(target.focusedNow, 'a gridcell takes the DOM focus');
    await frames(page, 5);
    let t = await table();
    const want = t0.ids[target.index - 2];
    assert.equal(t.focus, want, 'ImGui\'s table focus is on the person of that row');
    assert.equal(t.focusColumn, 'email');
    const sel = await page.evaluate(() => [...document.querySelectorAll('#a11y [role=grid] [role=row][aria-selected=true]')].map((r) => +r.getAttribute('aria-rowindex')));
    assert.deepEqual(sel, [target.index], 'and the selection');
    let f = await focused(page);
    assert.deepEqual([f.role, f.row.index, f.cell.col, f.cell.text, f.row.marked], ['grid', target.index, 2, target.text, true], 'the grid takes the focus back and names that cell');
    // The keys go on from there.
    f = await press(page, 'ArrowDown');
    assert.deepEqual([f.row.index, f.cell.col], [target.index + 1, 2]);
    assert.equal((await table()).focus, t0.ids[target.index - 1]);
    // A row element (no cell): the person, the column kept.
    const rowIndex = await page.evaluate(() => {
      const row = document.querySelectorAll('#a11y [role=grid] [role=row][data-row]')[1];
      row.focus();
      return +row.getAttribute('aria-rowindex');
    });
    await frames(page, 5);
    t = await table();
    assert.equal(t.focus, t0.ids[rowIndex - 2]);
    f = await focused(page);
    assert.deepEqual([f.row.index, f.cell.col], [rowIndex, 2]);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('import preview: the Changes, Added and Removed lists are reached with Tab and walked with the arrows, each entry a named list item', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const first = 'Full_Name,Email,Team\nAda Lovelace,ada@example.com,Platform\nBob Stone,bob@example.com,Data\nCyd Charisse,cyd@example.com,Web\n';
    assert.equal((await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), first)).applied, true);
    // A file dropped on the page (the setup): Ada changes team, Bob as before, Cyd absent, two new.
    const second = 'Full_Name,Email,Team\nAda Lovelace,ada@example.com,Core\nBob Stone,bob@example.com,Data\nDee Dee,dee@example.com,Ops\nEli Ng,eli@example.com,Ops\n';
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'people.csv', { type: 'text/csv' }));
      const c = document.getElementById('canvas');
      for (const type of ['dragenter', 'dragover', 'drop']) c.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, second);
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 20000 });
    await frames(page, 6);
    let f = await focused(page);
    assert.deepEqual([f.name, f.dialog], ['Apply import', 'Import preview']);
    // Changes: its tab (Enter shows it), then Tab into the list: Ada's team, old and new.
    await tabTo(page, /^Changes \(1\)$/);
    await press(page, 'Enter');
    f = await press(page, 'Tab');
    assert.deepEqual([f.role, f.list, f.dialog, f.marked, f.name], ['listitem', 'Changes', 'Import preview', true, 'Ada Lovelace: Team, Platform → Core']);
    // Added: two entries, Tab to the first, Down to the second, Up back.
    await tabTo(page, /^Added \(2\)$/);
    await press(page, 'Enter');
    f = await press(page, 'Tab');
    assert.deepEqual([f.role, f.list, f.marked, f.name], ['listitem', 'Added', true, 'Dee Dee, dee@example.com']);
    f = await press(page, 'ArrowDown');
    assert.deepEqual([f.list, f.name], ['Added', 'Eli Ng, eli@example.com']);
    f = await press(page, 'ArrowUp');
    assert.equal(f.name, 'Dee Dee, dee@example.com');
    f = await press(page, 'Tab');
    assert.equal(f.name, 'Eli Ng, eli@example.com', 'Tab walks the list too');
    const items = await page.evaluate(() => [...document.querySelectorAll('#a11y [role=dialog] [role=list][aria-label=Added] [role=listitem]')].map((e) => e.textContent));
    assert.deepEqual(items, ['Dee Dee, dee@example.com', 'Eli Ng, eli@example.com']);
    // Replace mode (its radio, Space): Cyd would be removed; the Removed list names her.
    await tabTo(page, /^Replace/);
    await press(page, 'Space');
    await page.waitForFunction(() => roster.pendingImport() && roster.pendingImport().counts.removed === 1, null, { timeout: 5000 });
    await tabTo(page, /^Removed \(1\)$/);
    await press(page, 'Enter');
    f = await press(page, 'Tab');
    assert.deepEqual([f.role, f.list, f.marked, f.name], ['listitem', 'Removed', true, 'Cyd Charisse, cyd@example.com']);
    // Esc closes the preview: nothing applied.
    await press(page, 'Escape');
    await page.waitForFunction(() => roster.pendingImport() === null, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => roster.snapshot().users.find((u) => u.email === 'ada@example.com').attributes.team), 'Platform');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
