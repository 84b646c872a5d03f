// The SEI 2.0 export through window.roster: a small SEI 2.0 developers file imported with
// roster.applyImport comes back from roster.export({format:'sei2'}) as exactly this text, with
// what SEI 2.0 would refuse as warnings, and a field's attribute can be chosen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const HEADER = 'Email,Manager Email,Full Name,Role,Site,Team,Sub Role,Department\r\n';
const FILE = HEADER +
  'ada@example.com,grace@example.com,Ada Lovelace,SWE,London,Platform,Backend,Engineering\r\n' +
  'grace@example.com,,Grace Hopper,Manager,"New York, NY",Platform,,Engineering\r\n' +
  'linus@example.com,boss@example.com,Linus T,=SUM(A1),Helsinki,Kernel,,\r\n';

test('roster.export sei2 writes the imported developers back as the same text, with SEI 2.0 findings as warnings', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const plan = await page.evaluate((f) => roster.applyImport(f, { mode: 'update' }), FILE);
    assert.equal(plan.applied, true, JSON.stringify(plan.errors));
    const ids = await page.evaluate(() => roster.snapshot().users.map((u) => u.id));
    assert.equal(ids.length, 3);

    const r = await page.evaluate(() => roster.export({ format: 'sei2' }));
    assert.equal(r.ok, true);
    assert.equal(r.format, 'sei2');
    assert.equal(r.files.length, 1);
    assert.match(r.files[0].name, /^developers_\d{4}-\d{2}-\d{2}\.csv$/);
    // The same text, but the formula, which is guarded with a leading '.
    const expected = FILE.replace(',=SUM(A1),', ",'=SUM(A1),");
    assert.equal(r.files[0].text, expected);
    assert.equal(await page.evaluate(() => roster.exportCsv({ format: 'sei2' })), expected);

    // boss@example.com is nobody's Email in the file: the one thing SEI 2.0 would refuse.
    assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
    assert.equal(r.warnings[0].code, 'MANAGER_EMAIL_MISSING_IN_DEVELOPER_EMAILS');
    assert.deepEqual(r.warnings[0].userIds, [ids[2]]);
    assert.match(r.warnings[0].message, /^The Manager Email boss@example\.com of Linus T <linus@example\.com> /);

    // Another attribute for a field: Team from the role attribute; Sub Role left blank.
    const role = await page.evaluate(() => roster.snapshot().attributes.find((a) => a.key === 'role').key);
    const chosen = await page.evaluate((k) => roster.export({ format: 'sei2', fields: { Team: k, 'Sub Role': '' } }), role);
    assert.equal(chosen.ok, true);
    assert.equal(chosen.files[0].text.split('\r\n')[1], 'ada@example.com,grace@example.com,Ada Lovelace,SWE,London,SWE,,Engineering');
    const bad = await page.evaluate(() => roster.export({ format: 'sei2', fields: { Team: 'no_such_attribute' } }));
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'NOT_FOUND');
    const badField = await page.evaluate(() => roster.export({ format: 'sei2', fields: { Email: 'role' } }));
    assert.equal(badField.error.code, 'INVALID_ARGUMENT');

    // The export changed nothing, and importing it again changes nothing either.
    const again = await page.evaluate((t) => roster.previewImport(t, { mode: 'update' }), r.files[0].text);
    assert.equal(again.ok, true);
    assert.equal(again.counts.added + again.counts.updated, 0);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally {
    await ctx.close();
  }
});
