// Issue 16 "Real files" through window.roster: an HR export gets a proposed column mapping, a
// refused plan's mapping is passed back and then remembered, and a file with a bad row imports the
// rest with skipInvalidRows, its skipped rows answered by exportSkippedRows().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

const HR = 'First Name,Last Name,Work Email,Manager,Department\r\n' +
  'Grace,Hopper,grace@example.com,,Research\r\n' +
  'Ada,Lovelace,ada@example.com,grace@example.com,Research\r\n';

const FRENCH = 'Prenom,Nom,Courriel,Equipe\r\nAlan,Turing,alan@example.com,Codebreaking\r\n';

const BAD_ROW = 'Full_Name,Email,Integration: GitHub\r\n' +
  'Eve,eve@example.com,shared\r\n' +
  'Mallory,mallory@example.com,shared\r\n' +
  'Trent,trent@example.com,trent-gh\r\n';

test('an HR file, a mapping passed back and remembered, and rows in error skipped', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(({ HR, FRENCH, BAD_ROW }) => {
      const out = {};
      out.hrPreview = roster.previewImport(HR, { mode: 'update' });
      out.hrApply = roster.applyImport(new TextEncoder().encode(HR), { mode: 'update' });
      out.afterHr = roster.snapshot();
      out.refused = roster.previewImport(FRENCH, { mode: 'update' });
      const cols = Object.assign({}, out.refused.columns, { Prenom: 'firstName', Nom: 'lastName', Courriel: 'email' });
      out.given = roster.applyImport(FRENCH, { mode: 'update', columns: cols });
      out.again = roster.previewImport(FRENCH, { mode: 'update' });
      out.badTarget = roster.previewImport(FRENCH, { mode: 'update', columns: { Courriel: 'mail' } });
      out.bad = roster.previewImport(BAD_ROW, { mode: 'update' });
      out.noSkipped = roster.exportSkippedRows();
      out.skip = roster.applyImport(BAD_ROW, { mode: 'update', skipInvalidRows: true });
      out.skipped = roster.exportSkippedRows();
      out.final = roster.snapshot();
      return out;
    }, { HR, FRENCH, BAD_ROW });

    // The HR file: proposed mapping, accepted, names joined, manager a person reference.
    assert.equal(r.hrPreview.ok, true);
    assert.equal(r.hrPreview.mappingSource, 'proposed');
    assert.deepEqual(r.hrPreview.columns, {
      'First Name': 'firstName', 'Last Name': 'lastName', 'Work Email': 'email',
      Manager: 'attribute:manager_email', Department: 'attribute:department',
    });
    assert.equal(r.hrPreview.columnList[3].type, 'email');
    assert.deepEqual(r.hrPreview.columnList[2].samples, ['grace@example.com', 'ada@example.com']);
    assert.equal(r.hrApply.applied, true);
    assert.deepEqual(r.afterHr.users.map((u) => u.name), ['Grace Hopper', 'Ada Lovelace']);
    assert.equal(r.afterHr.users[1].attributes.manager_email, 'grace@example.com');
    assert.equal(r.afterHr.attributes.find((a) => a.key === 'manager_email').type, 'email');

    // Refused with REQUIRED_FIELD_MISSING, with a proposal to pass back.
    assert.equal(r.refused.ok, false);
    assert.ok(r.refused.errors.some((e) => e.code === 'REQUIRED_FIELD_MISSING'));
    assert.equal(r.refused.columns.Courriel, 'attribute:courriel');
    assert.equal(r.given.applied, true);
    assert.equal(r.given.mappingSource, 'given');
    assert.equal(r.again.mappingSource, 'remembered');
    assert.equal(r.again.ok, true);
    assert.equal(r.again.counts.unchanged, 3);
    assert.equal(r.badTarget.ok, false);
    assert.equal(r.badTarget.error.code, 'INVALID_ARGUMENT');

    // A bad row: offered, then skipped; the skipped row comes back as CSV.
    assert.equal(r.bad.ok, false);
    assert.equal(r.bad.rowErrorsOnly, true);
    assert.equal(r.bad.rowsInError, 1);
    assert.equal(r.noSkipped, null);
    assert.equal(r.skip.applied, true);
    assert.equal(r.skip.counts.rowsSkipped, 1);
    assert.equal(r.skip.counts.added, 2);
    const sk = r.skip.warnings.filter((w) => w.code === 'ROW_SKIPPED');
    assert.equal(sk.length, 1);
    assert.equal(sk[0].line, 3);
    assert.equal(sk[0].rowCode, 'ACCOUNT_CONFLICT');
    const lines = r.skipped.split('\r\n');
    assert.equal(lines[0], 'Full_Name,Email,Integration: GitHub,Error');
    assert.ok(lines[1].startsWith('Mallory,mallory@example.com,shared,'), lines[1]);
    const eve = r.final.users.find((u) => u.email === 'eve@example.com');
    assert.deepEqual(eve.identities.map((i) => i.accountId), ['shared']);
    assert.equal(r.final.users.length, 5);
  } finally {
    await ctx.close();
  }
});
