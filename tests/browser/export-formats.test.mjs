// The Export dialog with the formats of issue 17, driven with the keyboard and the mouse: a small
// directory (people, accounts in two integrations, a three-level org-unit tree), the dialog opened
// with Ctrl+Shift+E, DevLake and then Faros chosen with a click, the preview of their files drawn,
// Save clicked and the downloaded zip unpacked (fflate) and compared file by file, byte for byte,
// with roster.export({format}). A one-file format (SEI) is saved as that one file.
// The dialog's parts are found with roster.ui({action: "exportDialogLayout"}).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { startServer, launch, openApp, tempProfile, screenshot, regionStats, inkBands } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

// The page's download path (the save picker of the File System Access API cannot be answered headless).
const noFsAccess = () => { window.showOpenFilePicker = undefined; window.showSaveFilePicker = undefined; };
const frames = (p, n = 2) => p.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
const layout = (p) => p.evaluate(() => roster.ui({ action: 'exportDialogLayout' }));
async function click(p, rect) {
  assert.ok(rect, 'the widget is drawn');
  await p.mouse.move(rect.cx, rect.cy);
  await frames(p, 3);
  await p.mouse.click(rect.cx, rect.cy);
  await frames(p, 4);
}

// Six people in a three-level tree: Engineering > Platform > Platform Core, with GitHub and Jira accounts.
async function seed(page) {
  return page.evaluate(() => {
    const r = [
      roster.command({ op: 'addAttribute', key: 'dept', label: 'Department', type: 'text' }),
      roster.command({ op: 'addAttribute', key: 'teams', label: 'Teams', type: 'text' }),
      roster.command({ op: 'addAttribute', key: 'title', label: 'Title', type: 'text' }),
      roster.command({ op: 'addIntegration', name: 'GitHub', kind: 'scm' }),
      roster.command({ op: 'addIntegration', name: 'Jira', kind: 'issues' }),
    ];
    const people = [
      ['Ada Lovelace', 'Engineering', 'Platform;Core', 'Staff Engineer'], ['Grace Hopper', 'Engineering', 'Platform', 'Director'],
      ['Alan Turing', 'Engineering', 'Core', 'Engineer'], ['Edsger Dijkstra', 'Engineering', 'Data', ''],
      ['Barbara Liskov', 'Sales', 'Core', 'Account Executive'], ['Frances Allen', 'Engineering', 'Platform;Core', 'Engineer, "compilers"'],
    ];
    for (const [name, dept, teams, title] of people) {
      const login = name.split(' ')[0].toLowerCase();
      const id = roster.command({ op: 'addUser', name, email: login + '@example.com' }).id;
      r.push(roster.command({ op: 'setAttribute', ids: [id], key: 'dept', value: dept }));
      r.push(roster.command({ op: 'setAttribute', ids: [id], key: 'teams', value: teams }));
      if (title) r.push(roster.command({ op: 'setAttribute', ids: [id], key: 'title', value: title }));
      r.push(roster.command({ op: 'addIdentity', id, integration: 'GitHub', accountId: login + '-gh' }));
      if (login !== 'barbara') r.push(roster.command({ op: 'addIdentity', id, integration: 'Jira', accountId: login + '@example.com' }));
    }
    r.push(roster.command({ op: 'saveOrgUnit', name: 'Engineering', filter: { attribute: 'dept', op: 'equals', value: 'Engineering' } }));
    r.push(roster.command({ op: 'saveOrgUnit', name: 'Platform', parent: 'Engineering', filter: { attribute: 'teams', op: 'hasItem', value: 'platform' } }));
    r.push(roster.command({ op: 'saveOrgUnit', name: 'Platform Core', parent: 'Platform', filter: { attribute: 'teams', op: 'hasItem', value: 'core' } }));
    return { failed: r.filter((x) => !x.ok), units: roster.snapshot().orgUnits.map((u) => [u.name, u.parent]) };
  });
}

// Opens the dialog with Ctrl+Shift+E, chooses `format` with a click, and checks what it shows.
async function openOn(page, format) {
  await page.keyboard.press('Control+Shift+E');
  await frames(page, 4);
  let l = await layout(page);
  assert.equal(l.open, true, 'Ctrl+Shift+E opens the Export dialog');
  const radio = l.formats.find((f) => f.id === format);
  assert.ok(radio, `the dialog offers ${format}: ${JSON.stringify(l.formats.map((f) => f.id))}`);
  await click(page, radio.rect);
  await frames(page, 4);   // the dialog resizes to its new content over a frame or two
  l = await layout(page);
  assert.equal(l.format, format);
  return l;
}

// The preview child shows a band of ink for each file's name line and each line shown.
async function checkPreviewDrawn(page, l, name) {
  const png = fs.readFileSync(await screenshot(page, name));
  assert.ok(l.preview, 'the preview is drawn');
  const ink = regionStats(png, l.preview);
  assert.ok(ink.inkFraction > 0.02, `ink in the preview: ${JSON.stringify(ink)}`);
  const bands = inkBands(png, { x: l.preview.x + 2, y: l.preview.y + 2, w: l.preview.w - 4, h: l.preview.h - 4 });
  const rows = l.files.reduce((n, f) => n + 1 + f.linesShown, 0);
  // The child scrolls after 15 rows; every row that fits is a band of text.
  assert.ok(bands.length >= Math.min(rows, 12), `${bands.length} lines of text drawn in the preview for ${rows} rows`);
  return png;
}

async function saveAndDownload(page, l) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), click(page, l.save)]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

test('DevLake and Faros from the Export dialog: the preview drawn, the Save button naming the files, one zip with exactly roster.export\'s files', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url, { initScript: noFsAccess });
    const seeded = await seed(page);
    assert.deepEqual(seeded.failed, []);
    assert.deepEqual(seeded.units, [['Engineering', null], ['Platform', 'Engineering'], ['Platform Core', 'Platform']]);

    const sei = await page.evaluate(() => roster.export({ format: 'sei' }));
    const date = /\d{4}-\d{2}-\d{2}/.exec(sei.files[0].name)[0];   // files are named after today
    for (const format of ['devlake', 'faros']) {
      const expected = await page.evaluate((f) => roster.export({ format: f }), format);
      assert.equal(expected.ok, true, JSON.stringify(expected));
      assert.ok(expected.files.length > 1, `${format} has several files`);

      const l = await openOn(page, format);
      // The preview lists every file with its first lines (up to 8), counted as roster.export writes them.
      assert.deepEqual(l.files.map((f) => f.name), expected.files.map((f) => f.name));
      for (const [i, f] of l.files.entries()) {
        const lines = expected.files[i].text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        assert.equal(f.lines, lines.length, `${f.name}: lines`);
        assert.equal(f.linesShown, Math.min(8, lines.length), `${f.name}: lines shown`);
      }
      const zipName = `${format}_${date}.zip`;
      assert.equal(l.saveLabel, `Save ${expected.files.map((f) => f.name).join(', ')} as ${zipName}`);
      await checkPreviewDrawn(page, l, `export-dialog-${format}.png`);

      const saved = await saveAndDownload(page, l);
      assert.equal(saved.name, zipName);
      assert.deepEqual([...saved.bytes.subarray(0, 4)], [0x50, 0x4b, 3, 4], 'a zip file');
      const entries = unzipSync(new Uint8Array(saved.bytes));
      assert.deepEqual(Object.keys(entries), expected.files.map((f) => f.name), 'the zip holds the files in order');
      for (const f of expected.files)
        assert.ok(Buffer.from(entries[f.name]).equals(Buffer.from(f.text, 'utf8')), `${format}: ${f.name} byte for byte`);
      await frames(page, 3);
      assert.equal((await layout(page)).open, false, 'Save closes the dialog');
      const state = await page.evaluate(() => roster.ui('state'));
      assert.equal(state.toast, `Exported ${zipName} (${expected.files.length} files)`);
    }

    // A format of one file is saved as that file, named on the button.
    const l = await openOn(page, 'sei');
    assert.equal(l.saveLabel, `Save ${sei.files[0].name}`);
    assert.equal(l.files.length, 1);
    const saved = await saveAndDownload(page, l);
    assert.equal(saved.name, sei.files[0].name);
    assert.equal(saved.bytes.toString('utf8'), sei.files[0].text);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally {
    await ctx.close();
  }
});
