// SEI CSV interchange in the browser: the file chooser, a dropped file, the preview that changes
// nothing until confirmed, bad files refused with code and line, export and re-import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openApp, tempProfile, ROOT } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const noFsAccess = () => { window.showOpenFilePicker = undefined; window.showSaveFilePicker = undefined; };
const SAMPLE = fs.readFileSync(path.join(ROOT, 'assets', 'sample', 'sei-users.csv'));
const SMALL = 'Full_Name,Email,Team_name,Integration: Github,Integration: Jira\r\n' +
  'Ada Lovelace,ada@example.com,Core,ada-gh,JIRA-1\r\n' +
  'Ada Lovelace,ADA@example.com,Core,ada-gh-2,\r\n' +
  '"Hopper, Grace",grace@example.com,Compilers,grace-gh,\r\n' +
  'Linus Bot,,,linus-bot,\r\n';

async function dropFile(page, name, text) {
  await page.evaluate(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'text/csv' }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, [name, text]);
  await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 10000 });
}

test('import through the file chooser (Ctrl+O), preview first, then confirm', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    const before = await page.evaluate(() => roster.snapshot());
    // Playwright turns file-chooser interception on asynchronously: let it settle before the key press.
    const chooserPromise = page.waitForEvent('filechooser', { timeout: 15000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    await page.mouse.click(700, 400);
    await page.keyboard.press('Control+O');
    const chooser = await chooserPromise;
    await chooser.setFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(SMALL) });
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 10000 });
    const plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.ok, true);
    assert.equal(plan.fileName, 'users.csv');
    assert.deepEqual(plan.counts, { added: 2, updated: 0, removed: 0, unchanged: 0, skipped: 1, rowsSkipped: 0 });
    assert.ok(plan.warnings.some((w) => w.code === 'MISSING_EMAIL' && w.line === 5));
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before, 'nothing changes before confirmation');
    const applied = await page.evaluate(() => roster.confirmImport());
    assert.equal(applied.applied, true);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.deepEqual(snap.users.map((u) => u.email), ['ada@example.com', 'grace@example.com']);
    assert.deepEqual(snap.users[0].identities.map((i) => i.accountId).sort(), ['JIRA-1', 'ada-gh', 'ada-gh-2']);
    assert.equal(snap.users[1].name, 'Hopper, Grace');
    assert.deepEqual(snap.unassigned, [{ integration: 'Github', accountId: 'linus-bot', name: 'Linus Bot' }]);
    assert.equal(await page.evaluate(() => roster.pendingImport()), null);
    // One undo step takes the whole import back.
    assert.equal(await page.evaluate(() => roster.undo()), true);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
  } finally { await ctx.close(); }
});

test('a dropped file waits for confirmation; cancel leaves the directory as it was', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), SMALL);
    const before = await page.evaluate(() => roster.snapshot());
    const changed = SMALL.replace('Compilers', 'Languages').replace('Core,ada-gh,', 'Platform,ada-gh,');
    await dropFile(page, 'edited.csv', changed);
    const plan = await page.evaluate(() => roster.pendingImport());
    assert.equal(plan.fileName, 'edited.csv');
    assert.equal(plan.counts.updated, 2);
    assert.equal(plan.counts.unchanged, 0);
    const grace = plan.changes.find((c) => c.email === 'grace@example.com');
    assert.deepEqual(grace.fields, [{ field: 'Team_name', old: 'Compilers', new: 'Languages' }]);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
    assert.deepEqual(await page.evaluate(() => roster.cancelImport()), { ok: true, cancelled: true });
    assert.equal(await page.evaluate(() => roster.pendingImport()), null);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
    // Drop again and confirm.
    await dropFile(page, 'edited.csv', changed);
    const r = await page.evaluate(() => roster.confirmImport());
    assert.equal(r.applied, true);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.equal(snap.users[1].attributes.team_name, 'Languages');
  } finally { await ctx.close(); }
});

test('bad files are refused with their code and line, and nothing changes', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    await page.evaluate((t) => roster.applyImport(t, { mode: 'update' }), SMALL);
    const before = await page.evaluate(() => roster.snapshot());
    const cases = [
      ['', 'EMPTY_CSV', 1],
      ['Full_Name,Team\r\nAda,Core\r\n', 'REQUIRED_FIELD_MISSING', 1],
      // (a blank header over values: over blank cells it is ignored, EMPTY_COLUMN_IGNORED)
      ['Full_Name,Email,,Team\r\nAda,a@x.com,x,Core\r\n', 'BLANK_CSV_COLUMN_NAME', 1],
      ['Full_Name,Email,Team,team\r\nAda,a@x.com,A,B\r\n', 'DUPLICATE_HEADER', 1],
      ['Full_Name,Email\r\nAda,a@x.com\r\nBob,b@x.com,extra\r\n', 'RAGGED_ROW', 3],
      ['Full_Name,Email\r\nAda,a@x.com\r\nBob,"b@x.com\r\nCy,c@x.com\r\n', 'UNTERMINATED_QUOTE', 3],
      // (an email that does not look like one is kept with SUSPICIOUS_EMAIL since issue 16)
      ['Full_Name,Email,Integration: Github\r\nAda,a@x.com,gh\r\nBob,b@x.com,gh\r\n', 'ACCOUNT_CONFLICT', 3],
      ['Full_Name,Email\r\nA\u0000da,a@x.com\r\n', 'INVALID_CSV', 2],
    ];
    for (const [text, code, line] of cases) {
      for (const mode of ['update', 'replace']) {
        const plan = await page.evaluate(([t, m]) => roster.applyImport(t, { mode: m }), [text, mode]);
        assert.equal(plan.ok, false, `${code} (${mode})`);
        assert.equal(plan.applied, false);
        const e = plan.errors.find((x) => x.code === code);
        assert.ok(e, `expected ${code}, got ${JSON.stringify(plan.errors)}`);
        assert.equal(e.line, line, `${code} line`);
        assert.ok(e.message.length > 10);
      }
    }
    const replaceEmpty = await page.evaluate(() => roster.applyImport('Full_Name,Email,Integration: Github\r\nBot,,bot-1\r\n', { mode: 'replace' }));
    assert.equal(replaceEmpty.errors[0].code, 'REPLACE_WOULD_EMPTY');
    const badMode = await page.evaluate(() => roster.applyImport('Full_Name,Email\r\n', { mode: 'merge' }));
    assert.equal(badMode.error.code, 'INVALID_ARGUMENT');
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
    // The same file through the drop path shows the error in the pending plan and refuses confirmation.
    await dropFile(page, 'bad.csv', 'Full_Name,Email\r\nBob,bob@example.com,one cell too many\r\n');
    const pending = await page.evaluate(() => roster.pendingImport());
    assert.equal(pending.errors[0].code, 'RAGGED_ROW');
    assert.equal(pending.errors[0].line, 2);
    const confirm = await page.evaluate(() => roster.confirmImport());
    assert.equal(confirm.applied, false);
    assert.deepEqual(await page.evaluate(() => roster.snapshot()), before);
  } finally { await ctx.close(); }
});

test('a file larger than the app can hold is refused up front (FILE_TOO_LARGE)', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(async () => {
      let read = false;
      const fake = { name: 'huge.csv', size: 3 * 1024 * 1024 * 1024, arrayBuffer() { read = true; return Promise.resolve(new ArrayBuffer(0)); } };
      await window.rosterFiles.openFile(fake, 'drop');
      return { read, state: roster.ui('state'), pending: roster.pendingImport() };
    });
    assert.equal(r.read, false, 'the file was not read');
    assert.equal(r.pending, null);
    assert.equal(r.state.toastError, true);
    assert.match(r.state.toast, /FILE_TOO_LARGE/);
  } finally { await ctx.close(); }
});

test('the sample exports and re-imports with everyone unchanged; download works', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    await page.evaluate(() => window.rosterFiles.loadSample());
    const stats = await page.evaluate(() => roster.stats());
    assert.ok(stats.users >= 300, `sample has a few hundred people (${stats.users})`);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.ok(snap.integrations.length >= 3);
    assert.ok(snap.unassigned.length > 0);
    const csv = await page.evaluate(() => roster.exportCsv({ format: 'sei' }));
    assert.ok(csv.startsWith('Full_Name,Email,Team_name,'));
    assert.ok(csv.includes('\r\n'));
    for (const mode of ['update', 'replace']) {
      const plan = await page.evaluate(([c, m]) => roster.previewImport(c, { mode: m }), [csv, mode]);
      assert.equal(plan.ok, true);
      assert.deepEqual(plan.counts, { added: 0, updated: 0, removed: 0, unchanged: stats.users, skipped: snap.unassigned.length, rowsSkipped: 0 });
    }
    // A Uint8Array works too, e.g. UTF-16 LE with BOM as Excel writes "Unicode text".
    const utf16 = await page.evaluate((c) => {
      const bytes = new Uint8Array(2 + c.length * 2);
      bytes[0] = 0xff; bytes[1] = 0xfe;
      for (let i = 0; i < c.length; i++) { bytes[2 + 2 * i] = c.charCodeAt(i) & 255; bytes[3 + 2 * i] = c.charCodeAt(i) >> 8; }
      return roster.previewImport(bytes, { mode: 'update' });
    }, csv);
    assert.equal(utf16.dialect.encoding, 'utf-16le');
    assert.equal(utf16.counts.unchanged, stats.users);
    // The export through the page's own download path.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10000 }),
      page.evaluate(() => roster.ui({ action: 'exportFile', name: 'user_2026-01-01.csv' })),
    ]);
    assert.equal(download.suggestedFilename(), 'user_2026-01-01.csv');
    const file = await download.path();
    assert.equal(fs.readFileSync(file, 'utf8'), csv);
  } finally { await ctx.close(); }
});

test('parseCsv reports rows and dialect', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => roster.parseCsv('a;b;c\r\n1;"x;y";3\r\n'));
    assert.deepEqual(r.rows, [['a', 'b', 'c'], ['1', 'x;y', '3']]);
    assert.deepEqual(r.dialect, { delimiter: ';', bom: false, encoding: 'utf-8', lineEnding: '\r\n' });
    const bad = await page.evaluate(() => roster.parseCsv('a,b\n"open,2\n'));
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'UNTERMINATED_QUOTE');
    assert.equal(bad.error.line, 2);
  } finally { await ctx.close(); }
});
