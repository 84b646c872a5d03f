// The import preview's Columns step, with the mouse: an HR-style file mapped (a combo changed with
// clicks), imported, and the same header imported again in one click with the remembered mapping;
// a file with bad rows imported without them ("Skip the N rows…"), the skipped rows saved through the
// page's download path, fixed and imported. Widgets are found with roster.ui({action: "importDialogLayout"}).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, openApp, tempProfile, screenshot } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

const noFsAccess = () => { window.showOpenFilePicker = undefined; window.showSaveFilePicker = undefined; };
const frames = (p, n = 2) => p.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
const layout = (p) => p.evaluate(() => roster.ui({ action: 'importDialogLayout' }));
async function click(p, rect) {
  assert.ok(rect, 'the widget is drawn');
  await p.mouse.move(rect.cx, rect.cy);
  await frames(p, 3);
  await p.mouse.click(rect.cx, rect.cy);
  await frames(p, 5);
}
async function dropFile(page, name, text) {
  await page.evaluate(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'text/csv' }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, [name, text]);
  await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 10000 });
  await page.waitForFunction(() => roster.ui({ action: 'importDialogLayout' }).open, null, { timeout: 10000 });
  await frames(page, 3);
}
const people = (p) => p.evaluate(() => roster.snapshot().users.map((u) => ({ name: u.name, email: u.email, attributes: u.attributes })));

const HR = 'First Name,Last Name,Work Email,Manager,Department\r\n' +
  'Ada,Lovelace,ada@example.com,,Engineering\r\n' +
  'Grace,Hopper,grace@example.com,ada@example.com,Compilers\r\n' +
  'Alan,Turing,alan@example.com,ada@example.com,Research\r\n';
const HR2 = 'First Name,Last Name,Work Email,Manager,Department\r\n' +
  'Edsger,Dijkstra,edsger@example.com,grace@example.com,Algorithms\r\n' +
  'Grace,Hopper,grace@example.com,ada@example.com,Languages\r\n';

test('an HR file mapped with the mouse in the Columns step, then the same header imported in one click', async () => {
  const ctx = await launch(tempProfile(), { deviceScaleFactor: 1 });
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    assert.equal((await page.evaluate(() => roster.command({ op: 'addAttribute', key: 'team', label: 'Team', type: 'text' }))).ok, true);
    await dropFile(page, 'hr.csv', HR);
    let l = await layout(page);
    // A file whose header was never imported opens on the Columns step, with the proposed mapping.
    assert.equal(l.mappingNote, 'Proposed from the headers');
    assert.deepEqual(l.columns.map((c) => [c.header, c.target, c.source]), [
      ['First Name', 'firstName', 'proposed'], ['Last Name', 'lastName', 'proposed'], ['Work Email', 'email', 'proposed'],
      ['Manager', 'attribute:manager_email', 'proposed'], ['Department', 'attribute:department', 'proposed']]);
    const shot = await screenshot(page, 'import-mapping-columns.png');
    assert.ok(fs.statSync(shot).size > 10000);
    // Department -> the existing attribute Team, with two clicks.
    await click(page, l.columns.find((c) => c.header === 'Department').rect);
    l = await layout(page);
    const choices = l.targetChoices.map((c) => c.target);
    for (const t of ['name', 'email', 'firstName', 'lastName', 'attribute:team', 'attribute:department', 'ignore']) assert.ok(choices.includes(t), `${t} in ${choices}`);
    await screenshot(page, 'import-mapping-combo.png');
    await click(page, l.targetChoices.find((c) => c.target === 'attribute:team').rect);
    const plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.mappingSource, 'given');
    assert.deepEqual(plan.columns, { 'First Name': 'firstName', 'Last Name': 'lastName', 'Work Email': 'email', Manager: 'attribute:manager_email', Department: 'attribute:team' });
    assert.deepEqual(plan.counts, { added: 3, updated: 0, removed: 0, unchanged: 0, skipped: 0, rowsSkipped: 0 });
    l = await layout(page);
    assert.equal(l.columns.find((c) => c.header === 'Department').target, 'attribute:team');
    assert.equal(l.mappingNote, 'Chosen here');
    await click(page, l.apply);
    assert.equal(await page.evaluate(() => roster.pendingImport()), null);
    assert.deepEqual(await people(page), [
      { name: 'Ada Lovelace', email: 'ada@example.com', attributes: { team: 'Engineering' } },
      { name: 'Grace Hopper', email: 'grace@example.com', attributes: { manager_email: 'ada@example.com', team: 'Compilers' } },
      { name: 'Alan Turing', email: 'alan@example.com', attributes: { manager_email: 'ada@example.com', team: 'Research' } },
    ]);
    const keys = await page.evaluate(() => roster.snapshot().attributes.map((a) => [a.key, a.type]));
    assert.deepEqual(keys, [['team', 'text'], ['manager_email', 'email']]);

    // The same header again: the remembered mapping, applied in one click.
    await dropFile(page, 'hr-next.csv', HR2);
    l = await layout(page);
    assert.equal(l.mappingNote, null, 'a remembered mapping opens on the changes, not on the Columns step');
    const plan2 = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan2.mappingSource, 'remembered');
    assert.equal(plan2.columns.Department, 'attribute:team');
    assert.deepEqual(plan2.counts, { added: 1, updated: 1, removed: 0, unchanged: 2, skipped: 0, rowsSkipped: 0 });
    await click(page, l.apply);
    assert.deepEqual(await people(page), [
      { name: 'Ada Lovelace', email: 'ada@example.com', attributes: { team: 'Engineering' } },
      { name: 'Grace Hopper', email: 'grace@example.com', attributes: { manager_email: 'ada@example.com', team: 'Languages' } },
      { name: 'Alan Turing', email: 'alan@example.com', attributes: { manager_email: 'ada@example.com', team: 'Research' } },
      { name: 'Edsger Dijkstra', email: 'edsger@example.com', attributes: { manager_email: 'grace@example.com', team: 'Algorithms' } },
    ]);
    // The Columns tab still shows where the mapping came from.
    await dropFile(page, 'hr-next.csv', HR2);
    await click(page, (await layout(page)).columnsTab);
    l = await layout(page);
    assert.equal(l.mappingNote, 'Remembered from the last import of this header');
    assert.deepEqual(l.columns.map((c) => c.source), ['remembered', 'remembered', 'remembered', 'remembered', 'remembered']);
    // Escape closes an open target combo, not the preview.
    await click(page, l.columns[0].rect);
    assert.ok((await layout(page)).targetChoices.length > 0);
    await page.keyboard.press('Escape');
    await frames(page, 4);
    l = await layout(page);
    assert.equal(l.open, true);
    assert.deepEqual(l.targetChoices, []);
    assert.notEqual(await page.evaluate(() => roster.pendingImport()), null);
    await click(page, l.cancel);
    assert.equal(await page.evaluate(() => roster.pendingImport()), null);

    // A file with no usable email or name column opens on the Columns step, refused: map it there.
    await dropFile(page, 'odd.csv', 'Person,Mail\r\nBarbara Liskov,barbara@example.com\r\n');
    let odd = await page.evaluate(() => roster.pendingImport());
    assert.ok(odd.errors.some((e) => e.code === 'REQUIRED_FIELD_MISSING'), JSON.stringify(odd.errors));
    l = await layout(page);
    assert.deepEqual(l.columns.map((c) => c.header), ['Person', 'Mail']);
    await click(page, l.columns[1].rect);
    await click(page, (await layout(page)).targetChoices.find((c) => c.target === 'email').rect);
    await click(page, (await layout(page)).columns[0].rect);
    await click(page, (await layout(page)).targetChoices.find((c) => c.target === 'name').rect);
    odd = await page.evaluate(() => roster.pendingImport());
    assert.equal(odd.ok, true, JSON.stringify(odd.errors));
    await click(page, (await layout(page)).apply);
    assert.deepEqual((await people(page)).at(-1), { name: 'Barbara Liskov', email: 'barbara@example.com', attributes: {} });
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});

test('skip the rows with errors, save them, fix them and import them', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    assert.equal((await page.evaluate(() => roster.command({ op: 'addAttribute', key: 'start_date', label: 'Start date', type: 'date' }))).ok, true);
    const BAD = 'Full Name,Email,Start Date\r\n' +
      'Ada Lovelace,ada@example.com,2024-01-05\r\n' +
      'Bob Smith,bob@example.com,05/01/2024\r\n' +
      'Cy Young,cy@example.com,2024-03-01\r\n' +
      'Dee Dee,dee@example.com,soon\r\n';
    await dropFile(page, 'staff.csv', BAD);
    let plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.ok, false);
    assert.equal(plan.rowErrorsOnly, true);
    assert.equal(plan.rowsInError, 2);
    assert.deepEqual(plan.errors.map((e) => [e.code, e.line]), [['INVALID_VALUE', 3], ['INVALID_VALUE', 5]]);
    let l = await layout(page);
    await screenshot(page, 'import-mapping-skip.png');
    await click(page, l.skipRows);
    assert.equal(await page.evaluate(() => roster.pendingImport()), null);
    assert.deepEqual(await people(page), [
      { name: 'Ada Lovelace', email: 'ada@example.com', attributes: { start_date: '2024-01-05' } },
      { name: 'Cy Young', email: 'cy@example.com', attributes: { start_date: '2024-03-01' } },
    ]);
    // "Save skipped rows…" in the popup that follows: the page's download path.
    l = await layout(page);
    assert.ok(l.saveSkipped, 'the Rows skipped popup shows its Save button');
    await screenshot(page, 'import-mapping-skipped.png');
    await page.mouse.move(l.saveSkipped.cx, l.saveSkipped.cy);
    await frames(page, 3);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10000 }),
      page.mouse.click(l.saveSkipped.cx, l.saveSkipped.cy),
    ]);
    assert.equal(download.suggestedFilename(), 'staff-skipped-rows.csv');
    const saved = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(saved, await page.evaluate(() => roster.exportSkippedRows()));
    assert.equal(saved, 'Full Name,Email,Start Date,Error\r\n' +
      'Bob Smith,bob@example.com,05/01/2024,"Line 3: ""05/01/2024"" is not a valid date for Start Date (use YYYY-MM-DD)"\r\n' +
      'Dee Dee,dee@example.com,soon,"Line 5: ""soon"" is not a valid date for Start Date (use YYYY-MM-DD)"\r\n');
    const lines = saved.split('\r\n').filter((x) => x);
    await click(page, (await layout(page)).closeSkipped);
    // Fixed in the "spreadsheet": the dates corrected, the Error column dropped.
    const fixed = lines.map((x, i) => (i === 0 ? 'Full Name,Email,Start Date' : x.replace(/^(Bob Smith,bob@example\.com),05\/01\/2024,.*$/, '$1,2024-01-05')
      .replace(/^(Dee Dee,dee@example\.com),soon,.*$/, '$1,2024-06-01'))).join('\r\n') + '\r\n';
    assert.equal(fixed, 'Full Name,Email,Start Date\r\nBob Smith,bob@example.com,2024-01-05\r\nDee Dee,dee@example.com,2024-06-01\r\n');
    await dropFile(page, 'staff-skipped-rows.csv', fixed);
    plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.ok, true, JSON.stringify(plan.errors));
    await click(page, (await layout(page)).apply);
    assert.deepEqual(await people(page), [
      { name: 'Ada Lovelace', email: 'ada@example.com', attributes: { start_date: '2024-01-05' } },
      { name: 'Cy Young', email: 'cy@example.com', attributes: { start_date: '2024-03-01' } },
      { name: 'Bob Smith', email: 'bob@example.com', attributes: { start_date: '2024-01-05' } },
      { name: 'Dee Dee', email: 'dee@example.com', attributes: { start_date: '2024-06-01' } },
    ]);
    assert.equal((await layout(page)).saveSkipped, null, 'no Rows skipped popup after an import that skipped nothing');
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
