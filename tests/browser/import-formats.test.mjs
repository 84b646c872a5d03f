// Issue 17 part 3 in the page: another tool's files dropped on the page go through the same preview
// and apply as a CSV: a git .mailmap (corpus git.mailmap: 219 people, their other addresses as
// aliases) and a SortingHat JSON (corpus sortinghat_valid.json). Read from ../shared/corpus, skipped
// (saying so) when it is absent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openApp, tempProfile, ROOT } from './harness.mjs';

const CORPUS = process.env.ROSTER_CORPUS || path.join(ROOT, '..', 'shared', 'corpus');
const have = fs.existsSync(path.join(CORPUS, 'mailmap', 'git.mailmap'));
const skip = have ? false : `the corpus is absent (${CORPUS})`;

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

async function drop(page, files) {
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const [n, t] of files) dt.items.add(new File([t], n, { type: 'application/octet-stream' }));
    const c = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) c.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
  await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 30000 });
  return page.evaluate(() => roster.pendingImport());
}

test('a .mailmap dropped on the page: recognised, previewed, applied as one undo step', { skip }, async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const text = fs.readFileSync(path.join(CORPUS, 'mailmap', 'git.mailmap'), 'utf8');
    const plan = await drop(page, [['.mailmap', text]]);
    assert.equal(plan.format, 'mailmap');
    assert.equal(plan.formatLabel, 'git .mailmap');
    assert.equal(plan.fileName, '.mailmap');
    assert.equal(plan.ok, true, JSON.stringify(plan.errors));
    assert.equal(plan.counts.added, 219);
    assert.equal(plan.counts.aliases, 226);
    assert.ok(plan.warnings.some((w) => w.code === 'ALIAS_CONFLICT' && w.line === 115), JSON.stringify(plan.warnings));
    // The preview says which format it took.
    assert.equal((await page.evaluate(() => roster.ui({ action: 'importDialogLayout' }))).formatNote, 'Read as git .mailmap');
    const r = await page.evaluate(() => roster.confirmImport());
    assert.equal(r.applied, true);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.equal(snap.users.length, 219);
    const stolee = snap.users.find((u) => u.email === 'stolee@gmail.com');
    assert.ok(stolee && (stolee.aliases || []).map((a) => a.toLowerCase()).includes('gitgitgadget@gmail.com'), JSON.stringify(stolee));
    assert.equal(await page.evaluate(() => roster.undo()), true);
    assert.equal((await page.evaluate(() => roster.snapshot())).users.length, 0);
  } finally { await ctx.close(); }
});

test('a SortingHat JSON dropped on the page: its people with an email, their accounts, organizations as org units', { skip }, async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const text = fs.readFileSync(path.join(CORPUS, 'sortinghat', 'sortinghat_valid.json'), 'utf8');
    const plan = await drop(page, [['sortinghat_valid.json', text]]);
    assert.equal(plan.format, 'sortinghat');
    assert.equal(plan.ok, true, JSON.stringify(plan.errors));
    assert.equal(plan.counts.added, 2);
    assert.ok(plan.counts.orgUnits >= 1);
    assert.ok(plan.warnings.some((w) => w.code === 'NO_EMAIL'), JSON.stringify(plan.warnings));
    const r = await page.evaluate(() => roster.confirmImport());
    assert.equal(r.applied, true);
    const snap = await page.evaluate(() => roster.snapshot());
    assert.equal(snap.users.length, 2);
    const accounts = snap.users.reduce((n, u) => n + (u.identities || []).length, 0);
    assert.equal(accounts, 5);
    assert.equal(snap.orgUnits.length, plan.counts.orgUnits);
    // A malformed SortingHat file: refused with its line, nothing changes.
    await page.evaluate(() => roster.undo());
    const bad = fs.readFileSync(path.join(CORPUS, 'sortinghat', 'sortinghat_invalid.json'), 'utf8');
    const p2 = await page.evaluate((t) => roster.previewImport(t, { mode: 'update' }), bad);
    assert.equal(p2.ok, false);
    assert.equal(p2.errors[0].code, 'INVALID_JSON');
    assert.equal(p2.errors[0].line, 86);
  } finally { await ctx.close(); }
});
