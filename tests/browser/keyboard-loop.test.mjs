// Issue 19, part 3: the whole SEI loop from the keyboard alone. Every step is a key press
// (page.keyboard; no mouse, no roster.ui or roster.applyImport for the steps): open the SEI users
// CSV (Ctrl+O and the file chooser), walk the import preview and its column mapping with Tab, apply
// with Enter; move through the users table with the arrows, Page Down, Home and End; Enter edits the
// focused person, Tab goes from field to field, Enter applies, Esc cancels; Alt+5 goes to the
// Suggestions, Tab and Enter accept a merge; Ctrl+Shift+E and Enter save the export, whose file has
// the team change and the merge. roster.* is only read, to check the results.
//
// Focus follows both ways (part 1): after each key the DOM focus is on the mirror element of the
// item ImGui focused (document.activeElement, marked data-focused; the users grid names its focused
// cell with aria-activedescendant), and ImGui's highlight is drawn (#a11y[data-focus-visible]);
// focusing a mirror element from the page (as a screen reader does) moves ImGui's focus onto it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openApp, tempProfile, ROOT, screenshot } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const SAMPLE = path.join(ROOT, 'assets', 'sample', 'sei-users.csv');
const frames = (page, n) => page.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);

// What has the DOM focus: the mirror element, its role, name, value, whether it is the one marked
// focused, the dialog it is in; for the grid, its focused row's cells.
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  if (!a || !document.getElementById('a11y') || !document.getElementById('a11y').contains(a)) return { inMirror: false, tag: a && a.tagName };
  const role = a.getAttribute('role') || a.dataset.role || a.tagName.toLowerCase();
  const out = { inMirror: true, role, name: a.getAttribute('aria-label') || a.textContent, value: a.value,
    marked: a.getAttribute('data-focused') === 'true', dialog: a.closest('[role=dialog]') ? a.closest('[role=dialog]').getAttribute('aria-label') : null,
    visible: document.getElementById('a11y').getAttribute('data-focus-visible') === 'true' };
  if (role === 'grid') {
    const d = a.getAttribute('aria-activedescendant') && document.getElementById(a.getAttribute('aria-activedescendant'));
    const row = d && d.getAttribute('role') === 'gridcell' ? d.parentElement : d;   // (the focused cell, in its row)
    out.row = row ? { index: +row.getAttribute('aria-rowindex'), cells: [...row.children].map((c) => c.textContent), marked: row.getAttribute('data-focused') === 'true' } : null;
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

// Presses Tab until the focused element's name matches `want` (at most `max` times); answers the
// names of the stops on the way.
async function tabTo(page, want, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (f.inMirror && want.test(f.name)) return { f, seen };
    seen.push(f);
    await press(page, 'Tab');
  }
  assert.fail(`Tab never reached ${want}: ${seen.map((s) => s.name).join(' | ')}`);
}

test('the SEI loop from the keyboard alone: import, table, edit, merge, export', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    assert.equal(await page.evaluate(() => roster.snapshot().users.length), 0);

    // ---- Ctrl+O: the file chooser (automation gets the <input type=file>, shell/files.js).
    const chooserPromise = page.waitForEvent('filechooser', { timeout: 15000 });
    await frames(page, 2);
    await page.keyboard.press('Control+O');
    const chooser = await chooserPromise;
    await chooser.setFiles(SAMPLE);
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 15000 });
    await frames(page, 6);
    const plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.fileName, 'sei-users.csv');
    assert.ok(plan.counts.added > 300, JSON.stringify(plan.counts));

    // ---- The preview opens on "Apply import" (Enter applies); Tab walks every control in it.
    let f = await focused(page);
    assert.deepEqual([f.inMirror, f.role, f.name, f.marked, f.dialog], [true, 'button', 'Apply import', true, 'Import preview']);
    await press(page, 'Tab');
    const walk = await tabTo(page, /^Column Team_name imports as: /);
    const names = walk.seen.map((s) => s.name);
    assert.ok(names.includes('Cancel'), names.join(' | '));
    assert.ok(names.some((n) => /^Update \(merge/.test(n)), names.join(' | '));
    assert.ok(names.includes('Column Full_Name imports as: Name'), names.join(' | '));
    assert.ok(names.includes('Column Email imports as: Email'), names.join(' | '));
    for (const s of walk.seen) {
      assert.ok(s.inMirror && s.name && s.name.trim(), `every Tab stop is a named element of the mirror: ${JSON.stringify(s)}`);
      assert.ok(s.marked && s.dialog === 'Import preview', JSON.stringify(s));
    }
    f = walk.f;
    assert.equal(f.role, 'combobox');
    assert.ok(f.visible, 'the focus highlight is drawn');
    // Enter opens the column's list (its choices are in the dialog), Esc closes the list only.
    await press(page, 'Enter');
    const choices = await page.evaluate(() => [...document.querySelectorAll('#a11y [role=dialog] *')].map((e) => e.getAttribute('aria-label') || e.textContent));
    assert.ok(choices.includes('Ignore'), choices.join(' | '));
    f = await press(page, 'Escape');
    assert.match(f.name, /^Column Team_name imports as: /);
    assert.notEqual(await page.evaluate(() => roster.pendingImport()), null, 'Esc closed the list, not the preview');
    await tabTo(page, /^Apply import$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => roster.pendingImport() === null && roster.snapshot().users.length > 300, null, { timeout: 15000 });
    await frames(page, 6);
    const users0 = await page.evaluate(() => roster.snapshot().users);
    assert.equal(users0.length, plan.counts.added);

    // ---- The users table has the keyboard: the grid, its focused row named.
    f = await focused(page);
    assert.equal(f.role, 'grid');
    assert.equal(f.name, 'Users');
    assert.equal(f.row.index, 2, 'the first person (row 1 is the header)');
    assert.ok(f.row.marked && f.visible);
    const table = () => page.evaluate(() => roster.ui({ action: 'usersTable' }));
    const t0 = await table();
    f = await press(page, 'ArrowDown', 2);
    assert.equal(f.row.index, 4);
    assert.equal((await table()).focus, t0.ids[2]);
    f = await press(page, 'End');
    assert.equal(f.row.index, users0.length + 1);
    f = await press(page, 'Home');
    assert.equal(f.row.index, 2);
    f = await press(page, 'PageDown');
    assert.ok(f.row.index > 10, `Page Down moved a page (row ${f.row.index})`);
    f = await press(page, 'PageUp');
    assert.equal(f.row.index, 2);
    f = await press(page, 'ArrowDown', 2);
    const personId = (await table()).focus;
    const person = users0.find((u) => u.id === personId);
    assert.deepEqual(f.row.cells.slice(0, 2), [person.name, person.email]);

    // ---- Enter edits the focused person: the editor's first field, then Tab from field to field.
    f = await press(page, 'Enter');
    assert.deepEqual([f.role, f.name, f.value, f.marked], ['textbox', 'Name', person.name, true]);
    f = await press(page, 'Tab');
    assert.deepEqual([f.name, f.value], ['Email', person.email]);
    f = await press(page, 'Tab');
    assert.deepEqual([f.name, f.value], ['Team_name', person.attributes.team_name]);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Keyboard Guild');
    await page.waitForFunction(() => document.activeElement.value === 'Keyboard Guild', null, { timeout: 5000 });   // typed into the field (the mirror shows its text)
    await press(page, 'Enter');
    await page.waitForFunction((id) => roster.snapshot().users.find((u) => u.id === id).attributes.team_name === 'Keyboard Guild', personId, { timeout: 5000 });
    // Esc cancels an edit: the field gets its value back, nothing changes.
    f = await press(page, 'Tab');
    assert.equal(f.name, 'Designation');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Not this');
    await page.waitForFunction(() => document.activeElement.value === 'Not this', null, { timeout: 5000 });
    f = await press(page, 'Escape');
    assert.deepEqual([f.name, f.value], ['Designation', person.attributes.designation]);
    assert.equal((await page.evaluate(() => roster.snapshot().users)).find((u) => u.id === personId).attributes.designation, person.attributes.designation);
    // Esc again: back to the table, on the same person.
    f = await press(page, 'Escape');
    assert.equal(f.role, 'grid');
    assert.equal(f.row.index, 4);

    // ---- Focus from the page: a screen reader puts the DOM focus on the Email field's element;
    // ImGui's focus follows (the element is marked as ImGui's focused item).
    await page.evaluate(() => document.querySelector('#a11y input[aria-label="Email"]').focus());
    await frames(page, 4);
    f = await focused(page);
    assert.deepEqual([f.name, f.marked, f.visible], ['Email', true, true]);
    f = await press(page, 'Tab');
    assert.equal(f.name, 'Team_name', 'Tab goes on from where the page put the focus');
    await press(page, 'Escape');   // (Tab started editing the field: Esc ends it)
    f = await press(page, 'Escape');
    assert.equal(f.role, 'grid');

    // ---- Ctrl+F: Roster's search; Esc leaves it, Alt+1 brings the keyboard back to the table.
    f = await press(page, 'Control+F');
    assert.deepEqual([f.role, f.name, f.marked], ['textbox', 'Search name or email', true]);
    await press(page, 'Escape');
    f = await press(page, 'Alt+1');
    assert.equal(f.role, 'grid');
    assert.equal(f.row.index, 4);

    // ---- Alt+5: the Suggestions, the first suggestion's Accept focused; Tab to a merge, Enter.
    f = await press(page, 'Alt+5');
    assert.equal(f.role, 'button');
    assert.match(f.name, /^Accept: /);
    const merge = await tabTo(page, /^Accept: merge /);
    for (const s of merge.seen) assert.match(s.name, /^(Accept|Reject|Show): /);
    const emails = [...merge.f.name.matchAll(/<([^>]+)>/g)].map((m) => m[1]);
    assert.equal(emails.length, 2, merge.f.name);
    const before = await page.evaluate(() => roster.snapshot().users);
    const keep = before.find((u) => u.email === emails[0]), gone = before.find((u) => u.email === emails[1]);
    assert.ok(keep && gone, emails.join(', '));
    await press(page, 'Enter');
    await frames(page, 4);
    f = await focused(page);
    if (f.dialog === 'Merge people') {   // values in conflict: the merge dialog, its Merge button focused
      assert.deepEqual([f.name, f.marked], ['Merge 2 people', true]);
      await press(page, 'Enter');
    }
    await page.waitForFunction((n) => roster.snapshot().users.length === n, before.length - 1, { timeout: 10000 });
    const after = await page.evaluate(() => roster.snapshot().users);
    const merged = after.find((u) => u.id === keep.id);
    assert.ok(merged, 'the kept person is there');
    assert.equal(after.find((u) => u.id === gone.id), undefined, 'the other one is merged into them');
    assert.equal(merged.identities.length, keep.identities.length + gone.identities.length, 'with all the accounts of both');

    // ---- Ctrl+Shift+E: the export dialog, its Save focused; Enter saves (a download here).
    await press(page, 'Control+Shift+E');
    await page.waitForFunction(() => { const d = document.activeElement && document.activeElement.closest('#a11y [role=dialog]'); return d && d.getAttribute('aria-label') === 'Export' && /^Save /.test(document.activeElement.textContent); }, null, { timeout: 10000 });
    f = await focused(page);
    assert.equal(f.dialog, 'Export');
    assert.match(f.name, /^Save .+\.csv$/);
    assert.ok(f.visible);
    await screenshot(page, 'keyboard-loop-export.png');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split(/\r?\n/).filter((l) => l);
    const header = lines[0].split(',');
    const emailCol = header.indexOf('Email'), teamCol = header.indexOf('Team_name');
    assert.ok(emailCol >= 0 && teamCol >= 0, lines[0]);
    const rows = lines.slice(1).map((l) => l.split(','));   // (the checked cells hold no commas or quotes)
    // (SEI: a person's accounts in the integration columns of their rows)
    const editedRows = rows.filter((r) => r[emailCol] === person.email);
    assert.ok(editedRows.length >= 1);
    assert.deepEqual([...new Set(editedRows.map((r) => r[teamCol]))], ['Keyboard Guild'], 'the team changed from the keyboard is in the file');
    assert.equal(rows.filter((r) => r[emailCol].toLowerCase() === gone.email.toLowerCase()).length, 0, 'the merged-away person has no rows of their own');
    const keptRows = rows.filter((r) => r[emailCol] === keep.email);
    assert.ok(keptRows.length >= 1);
    for (const id of gone.identities) assert.ok(keptRows.some((r) => r.includes(id.accountId)), `${id.integration} ${id.accountId} is the kept person's now`);
    assert.equal(new Set(rows.filter((r) => r[emailCol]).map((r) => r[emailCol].toLowerCase())).size, after.filter((u) => u.email).length);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

// Assign and reject from the keyboard alone (issue 19, part 3: "merge, assign and reject"): in the
// Unassigned view (Alt+2) the first account's "Assign to…" has the keyboard, Enter opens the person
// search, typing and Enter assign; in the Suggestions (Alt+5) Tab reaches an assign suggestion's
// Accept and a merge suggestion's Reject. The directory is set up with roster.applyImport; every step
// after is a key press, and roster.* is only read.
test('assign and reject from the keyboard alone: the Unassigned view, an assign suggestion, a rejected merge', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const plan = await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), fs.readFileSync(SAMPLE, 'utf8'));
    assert.equal(plan.applied, true);
    await frames(page, 4);
    const snap0 = await page.evaluate(() => roster.snapshot());
    assert.ok(snap0.unassigned.length > 2);

    // ---- Alt+2: the first unassigned account's "Assign to…", named with the account.
    let f = await press(page, 'Alt+2');
    assert.equal(f.role, 'button');
    const m = /^Assign to…: (\S+) “(.+?)”/.exec(f.name);
    assert.ok(m && f.marked, JSON.stringify(f));
    const [, integ, account] = m;
    assert.ok(snap0.unassigned.some((u) => u.integration === integ && u.accountId === account), `${integ} ${account} is unassigned`);
    // Tab walks the accounts' buttons, each named with its account.
    f = await press(page, 'Tab');
    assert.ok(f.name.startsWith('Exclude: ' + integ + ' “' + account + '”'), f.name);
    f = await press(page, 'Tab');
    assert.match(f.name, /^Assign to…: /);
    assert.notEqual(f.name, `Assign to…: ${integ} “${account}”`);
    await press(page, 'Shift+Tab', 2);
    // Enter: the person search, focused; type someone's email, Enter assigns the account to them.
    const who = snap0.users.find((u) => !u.identities.some((i) => i.integration === integ));
    f = await press(page, 'Enter');
    assert.equal(f.role, 'textbox');
    assert.match(f.name, /^Search people/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(who.email);
    await frames(page, 3);
    await press(page, 'Enter');
    await page.waitForFunction(([e, a]) => roster.snapshot().users.find((u) => u.email === e).identities.some((i) => i.accountId === a), [who.email, account], { timeout: 5000 });
    let snap = await page.evaluate(() => roster.snapshot());
    assert.ok(snap.users.find((u) => u.id === who.id).identities.some((i) => i.integration === integ && i.accountId === account), 'assigned to the person typed');
    assert.equal(snap.unassigned.length, snap0.unassigned.length - 1);
    assert.ok(!snap.unassigned.some((u) => u.integration === integ && u.accountId === account), 'no longer unassigned');

    // ---- Alt+5: the Suggestions; Tab to an assign suggestion's Accept, Enter.
    const sugg0 = await page.evaluate(() => roster.suggestions());
    const assigns = sugg0.filter((s) => s.kind === 'assign');
    assert.ok(assigns.length > 0, 'the sample has assign suggestions');
    f = await press(page, 'Alt+5');
    assert.match(f.name, /^Accept: /);
    const acc = await tabTo(page, /^Accept: assign /, 120);
    for (const s of acc.seen) assert.match(s.name, /^(Accept|Reject|Show): /);
    const am = /^Accept: assign (\S+) “(.+?)”.* to (.+)$/.exec(acc.f.name);
    assert.ok(am, acc.f.name);
    const sg = assigns.find((s) => s.identity.integration === am[1] && s.identity.accountId === am[2]);
    assert.ok(sg, `the focused Accept is suggestion ${am[1]} ${am[2]}: ${JSON.stringify(assigns.map((s) => s.identity))}`);
    await press(page, 'Enter');
    await page.waitForFunction((s) => roster.snapshot().users.find((u) => u.id === s.ids[0]).identities.some((i) => i.integration === s.identity.integration && i.accountId === s.identity.accountId), sg, { timeout: 5000 });
    snap = await page.evaluate(() => roster.snapshot());
    assert.ok(!snap.unassigned.some((u) => u.integration === sg.identity.integration && u.accountId === sg.identity.accountId), 'the suggested account is assigned');

    // ---- Reject a merge suggestion: Tab to its Reject, Enter; it is gone, nobody merged.
    await frames(page, 4);
    const sugg1 = await page.evaluate(() => roster.suggestions());
    const users1 = snap.users.length;
    const rej = await tabTo(page, /^Reject: merge /, 120);
    const emails = [...rej.f.name.matchAll(/<([^>]+)>/g)].map((x) => x[1].toLowerCase());
    assert.equal(emails.length, 2, rej.f.name);
    const byEmail = (e) => snap.users.find((u) => u.email.toLowerCase() === e);
    const ids = emails.map((e) => byEmail(e) && byEmail(e).id);
    const same = (s) => s.kind === 'merge' && s.ids.length === 2 && ids.every((id) => s.ids.includes(id));
    assert.ok(sugg1.some(same), `the focused Reject is a suggestion of ${ids}`);
    await press(page, 'Enter');
    await page.waitForFunction((ids) => !roster.suggestions().some((s) => s.kind === 'merge' && s.ids.length === 2 && ids.every((id) => s.ids.includes(id))), ids, { timeout: 5000 });
    const sugg2 = await page.evaluate(() => roster.suggestions());
    assert.equal(sugg2.filter(same).length, 0, 'the rejected suggestion is not offered again');
    assert.equal(await page.evaluate(() => roster.snapshot().users.length), users1, 'nobody was merged');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
