// Org units as a tree, built with the mouse in the Org units view: top-level units, sub-units (the
// editor's "+ Sub-unit" and a new unit's Parent combo), a move with "Move under…" (one undo step,
// only valid parents offered), expand/collapse, member counts within the parent, and the tree after a
// browser restart. Rows and buttons are found with roster.ui({action: "orgUnitsLayout"}).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, openApp, tempProfile, screenshot, imageStats } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

const frames = (p, n = 2) => p.evaluate((n) => new Promise((r) => { let k = 0; const f = () => (++k >= n ? r() : requestAnimationFrame(f)); requestAnimationFrame(f); }), n);
const layout = (p) => p.evaluate(() => roster.ui({ action: 'orgUnitsLayout' }));
// Move there first (ImGui items react to a click once hovered), then click, then let frames pass.
async function click(p, rect, dx) {
  assert.ok(rect, 'the widget is drawn');
  const x = dx === undefined ? rect.cx : rect.x + dx, y = rect.cy;
  await p.mouse.move(x, y);
  await frames(p, 3);
  await p.mouse.click(x, y);
  await frames(p, 4);
}
async function typeInto(p, rect, text) {
  await click(p, rect);
  await p.keyboard.press('Control+A');
  await p.keyboard.type(text);
  await frames(p, 3);
}
const units = (p) => p.evaluate(() => Object.fromEntries(roster.snapshot().orgUnits.map((u) => [u.name, u])));
const row = (l, name) => l.rows.find((r) => r.name === name);

// A new unit named `name` whose first condition (dept equals …) gets `dept`, saved with the Save button.
async function saveNew(p, name, dept) {
  let l = await layout(p);
  await typeInto(p, l.name, name);
  l = await layout(p);
  await typeInto(p, l.firstValue, dept);
  l = await layout(p);
  await click(p, l.save);
}

test('a three-level tree built with the mouse, moved with "Move under…", counted within parents, kept after a restart', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let ids;
  try {
    const page = await openApp(ctx, srv.url);
    // People with a department (the first attribute: new conditions start on it) and teams (a ';' list).
    const seeded = await page.evaluate(() => {
      const people = [
        ['Ada', 'Engineering', 'Core;Platform'], ['Grace', 'Engineering', 'platform'], ['Alan', 'Engineering', 'Core'],
        ['Edsger', 'Engineering', 'Data'], ['Barbara', 'Sales', 'Core'], ['Frances', 'Engineering', ' core ; data '],
      ];
      const r = [roster.command({ op: 'addAttribute', key: 'dept', label: 'Department', type: 'text' }),
        roster.command({ op: 'addAttribute', key: 'teams', label: 'Teams', type: 'text' })];
      for (const [name, dept, teams] of people) {
        const id = roster.command({ op: 'addUser', name, email: name.toLowerCase() + '@example.com' }).id;
        r.push(roster.command({ op: 'setAttribute', ids: [id], key: 'dept', value: dept }));
        r.push(roster.command({ op: 'setAttribute', ids: [id], key: 'teams', value: teams }));
      }
      roster.ui({ action: 'view', view: 'orgUnits' });
      return r.every((x) => x.ok);
    });
    assert.equal(seeded, true);
    await frames(page, 4);

    // Level 1: "+ New unit".
    await click(page, (await layout(page)).newUnit);
    await saveNew(page, 'Engineering', 'Engineering');
    let u = await units(page);
    assert.ok(u.Engineering, JSON.stringify(u));
    assert.equal(u.Engineering.parent, null);
    // Level 2 and 3: the editor's "+ Sub-unit" on the unit just saved (it stays selected).
    await click(page, (await layout(page)).newSubUnit);
    await saveNew(page, 'Platform', 'Engineering');
    await click(page, (await layout(page)).newSubUnit);
    await saveNew(page, 'Core', 'Engineering');
    // Another top-level unit, and one whose parent is chosen in the new unit's Parent combo.
    await click(page, (await layout(page)).newUnit);
    await saveNew(page, 'Sales', 'Sales');
    await click(page, (await layout(page)).newUnit);
    await click(page, (await layout(page)).parentCombo);
    let l = await layout(page);
    assert.deepEqual(l.parentChoices.map((c) => c.name), ['(top level)', 'Engineering', 'Platform', 'Core', 'Sales']);
    await click(page, l.parentChoices.find((c) => c.name === 'Platform').rect);
    await saveNew(page, 'Infra', 'Engineering');
    // A unit made at the top level, then moved under Engineering with "Move under…".
    await click(page, (await layout(page)).newUnit);
    await saveNew(page, 'Data', 'Engineering');
    u = await units(page);
    assert.equal(u.Data.parent, null);
    const depth0 = await page.evaluate(() => roster.stats().undoDepth);
    await click(page, (await layout(page)).moveUnder);
    l = await layout(page);
    assert.deepEqual(l.moveChoices.map((c) => c.name), ['(top level)', 'Engineering', 'Platform', 'Core', 'Infra', 'Sales']);
    await click(page, l.moveChoices.find((c) => c.name === 'Engineering').rect);
    u = await units(page);
    assert.equal(u.Data.parent, 'Engineering');
    assert.equal(await page.evaluate(() => roster.stats().undoDepth), depth0 + 1, 'the move is one undo step');
    assert.equal(await page.evaluate(() => roster.undo()), true);
    assert.equal((await units(page)).Data.parent, null);
    assert.equal(await page.evaluate(() => roster.redo()), true);
    u = await units(page);
    assert.equal(u.Data.parent, 'Engineering');
    assert.deepEqual(Object.fromEntries(Object.values(u).map((x) => [x.name, x.parent])),
      { Engineering: null, Platform: 'Engineering', Core: 'Platform', Sales: null, Infra: 'Platform', Data: 'Engineering' });
    ids = Object.fromEntries(Object.values(u).map((x) => [x.name, x.id]));
    assert.equal(new Set(Object.values(ids)).size, 6, 'distinct ids');
    assert.ok(Object.values(ids).every((id) => /^o\d+$/.test(id)), JSON.stringify(ids));

    // Engineering's "Move under…" offers only the top level and Sales: never itself or a unit inside it.
    await click(page, row(await layout(page), 'Engineering').rect, 60);
    await click(page, (await layout(page)).moveUnder);
    l = await layout(page);
    assert.deepEqual(l.moveChoices.map((c) => c.name), ['(top level)', 'Sales']);
    // A click outside the popup closes it (on Engineering's row: it stays selected).
    await click(page, row(l, 'Engineering').rect, 60);
    assert.equal((await layout(page)).moveChoices.length, 0, 'the popup closed');
    // Through the API, the cycle is refused with the units named.
    const cyc = await page.evaluate(() => roster.command({ op: 'saveOrgUnit', name: 'Engineering', filter: { all: [] }, parent: 'Core' }));
    assert.equal(cyc.ok, false);
    assert.equal(cyc.error.code, 'CIRCULAR_REFERENCE');
    assert.match(cyc.error.message, /Engineering.*Core/);

    // Filters through the API without "parent": the units stay where they are; hasItem puts Ada in two teams.
    const api = await page.evaluate(() => [
      roster.command({ op: 'saveOrgUnit', name: 'Platform', filter: { attribute: 'teams', op: 'hasItem', value: 'Platform' } }),
      roster.command({ op: 'saveOrgUnit', name: 'Core', filter: { attribute: 'teams', op: 'hasItem', value: 'core' } }),
      roster.command({ op: 'saveOrgUnit', name: 'Data', filter: { attribute: 'teams', op: 'hasItem', value: 'DATA' } }),
      roster.command({ op: 'saveOrgUnit', name: 'Infra', filter: { all: [] } }),
    ]);
    assert.ok(api.every((r) => r.ok), JSON.stringify(api));
    u = await units(page);
    assert.equal(u.Platform.parent, 'Engineering');
    assert.equal(u.Core.parent, 'Platform');
    await frames(page, 4);
    l = await layout(page);
    assert.deepEqual(l.rows.map((r) => [r.name, r.depth]),
      [['Engineering', 0], ['Platform', 1], ['Core', 2], ['Infra', 2], ['Data', 1], ['Sales', 0]]);
    // Counts within the parent: Engineering 5 (not Barbara), Platform Ada+Grace, Core within Platform
    // only Ada (Alan and Frances are in Core but not in Platform), Infra all of Platform, Data Edsger+Frances.
    assert.deepEqual(Object.fromEntries(l.rows.map((r) => [r.name, r.count])),
      { Engineering: 5, Platform: 2, Core: 1, Infra: 2, Data: 2, Sales: 1 });
    const core = await page.evaluate(() => { const q = roster.query({ attribute: 'teams', op: 'hasItem', value: 'core' }); return (Array.isArray(q) ? q : q.ids).length; });
    assert.equal(core, 4, 'hasItem alone matches every Core member (trimmed, any case)');

    // Collapse Platform with its arrow, then open it again.
    const arrowDx = 8;
    await click(page, row(l, 'Platform').rect, arrowDx + (row(l, 'Platform').rect.h * 0.2));
    l = await layout(page);
    assert.deepEqual(l.rows.map((r) => r.name), ['Engineering', 'Platform', 'Data', 'Sales'], 'Platform folded');
    assert.equal(row(l, 'Platform').open, false);
    await page.mouse.move(5, 5);
    await frames(page, 3);
    await click(page, row(l, 'Platform').rect, arrowDx + (row(l, 'Platform').rect.h * 0.2));
    l = await layout(page);
    assert.deepEqual(l.rows.map((r) => r.name), ['Engineering', 'Platform', 'Core', 'Infra', 'Data', 'Sales'], 'Platform open again');

    // Open Core in the editor and take a picture of the tree.
    await click(page, row(l, 'Core').rect, 80);
    await page.mouse.move(700, 800);
    await frames(page, 6);
    const file = await screenshot(page, 'orgunit-tree.png');
    const st = imageStats(fs.readFileSync(file));
    assert.ok(st.distinctColors > 20, `many colours drawn (${st.distinctColors})`);
    // The rows do not overlap and each is indented more than its parent.
    for (let i = 1; i < l.rows.length; i++) assert.ok(l.rows[i].rect.y >= l.rows[i - 1].rect.y + l.rows[i - 1].rect.h - 0.5, 'rows do not overlap');
    assert.ok(row(l, 'Core').rect.x > row(l, 'Platform').rect.x && row(l, 'Platform').rect.x > row(l, 'Engineering').rect.x, 'indented by depth');
    assert.ok(row(l, 'Engineering').rect.h >= 18, `rows are tall enough to click (${row(l, 'Engineering').rect.h} px)`);

    await page.evaluate(() => roster.flush());
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }

  // A browser restart: the same ids and parents.
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const u = await units(page);
    assert.deepEqual(Object.fromEntries(Object.values(u).map((x) => [x.name, x.id])), ids);
    assert.deepEqual(Object.fromEntries(Object.values(u).map((x) => [x.name, x.parent])),
      { Engineering: null, Platform: 'Engineering', Core: 'Platform', Sales: null, Infra: 'Platform', Data: 'Engineering' });
    // A unit deleted and a new one made: the new one never takes an old id; the deleted unit's children move up.
    const r = await page.evaluate(() => {
      const del = roster.command({ op: 'deleteOrgUnit', name: 'Platform' });
      const add = roster.command({ op: 'saveOrgUnit', name: 'New', filter: { all: [] } });
      return { del, add, units: roster.snapshot().orgUnits };
    });
    assert.equal(r.del.ok, true);
    assert.equal(r.add.ok, true);
    const byName = Object.fromEntries(r.units.map((x) => [x.name, x]));
    assert.equal(byName.Core.parent, 'Engineering');
    assert.equal(byName.Infra.parent, 'Engineering');
    assert.ok(!Object.values(ids).includes(byName.New.id), `new id ${byName.New.id}`);
    assert.deepEqual(page.rosterLog.errors, []);
  } finally { await ctx.close(); }
});
