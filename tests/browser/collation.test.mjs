// Identity collation in the browser: suggestions accepted and rejected (still rejected after a
// browser restart and after re-importing the same CSV), merge with aliases and undo, the two-owner
// conflict in an import preview, and the Suggestions / Unassigned / accounts panels drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile, screenshot, imageStats, appLayout, inkBands } from './harness.mjs';
import fs from 'node:fs';

let srv;
before(async () => { srv = await startServer(process.env.ROSTER_SITE || undefined); });
after(async () => { await srv.close(); });

async function loadSample(page) {
  await page.evaluate(() => window.rosterFiles.loadSample());
  await page.waitForFunction(() => roster.stats().users > 300, null, { timeout: 30000 });
}

function assertNoPageErrors(page) {
  assert.deepEqual(page.rosterLog.errors, []);
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
const hasSuggestion = (list, s) => list.some((x) => x.kind === s.kind && sameSet(x.ids, s.ids) &&
  (!s.identity || (x.identity && x.identity.integration === s.identity.integration && x.identity.accountId === s.identity.accountId)));

test('suggestions: accept a noreply merge (aliases, undo), reject others; rejections survive a restart and a re-import', async () => {
  const profile = tempProfile();
  let ctx = await launch(profile);
  let rejectedMerge, rejectedAssign, csv;
  try {
    const page = await openApp(ctx, srv.url);
    await loadSample(page);
    csv = await page.evaluate(() => fetch('assets/sei-users.csv').then((r) => r.text()));
    const sug = await page.evaluate(() => roster.suggestions());
    assert.ok(sug.length >= 10, `suggestions found: ${sug.length}`);
    for (let i = 1; i < sug.length; i++) assert.ok(sug[i - 1].score >= sug[i].score, 'best first');
    for (const s of sug) {
      assert.ok(s.kind === 'merge' || s.kind === 'assign');
      assert.ok(s.score > 0 && s.score <= 1);
      assert.ok(Array.isArray(s.reasons) && s.reasons.length > 0 && s.reasons.every((r) => typeof r === 'string' && r.length > 5));
      if (s.kind === 'assign') assert.ok(s.identity && s.identity.integration && s.identity.accountId && s.ids.length === 1);
      else assert.equal(s.ids.length, 2);
      assert.ok(!(s.identity && /bot|jenkins/i.test(s.identity.accountId)), 'bots are never suggested');
    }
    const noreply = sug.find((s) => s.kind === 'merge' && s.reasons.some((r) => /noreply/.test(r)));
    assert.ok(noreply, 'a GitHub noreply merge is suggested');
    assert.ok(noreply.score >= 0.8);
    assert.ok(sug.some((s) => s.kind === 'merge' && s.reasons.some((r) => /accents/.test(r))), 'an accent variant is suggested');
    assert.ok(sug.filter((s) => s.kind === 'assign').length >= 3, 'unassigned accounts are matched to people');

    // ---- accept the noreply merge: conflicting values are chosen from the record kept
    const out = await page.evaluate((s) => {
      const snap = roster.snapshot();
      const into = snap.users.find((u) => u.id === s.ids[0]);
      const from = snap.users.find((u) => u.id === s.ids[1]);
      const first = roster.command({ op: 'mergeUsers', into: into.id, from: [from.id] });
      const values = {};
      for (const [k, v] of Object.entries(from.attributes)) if (into.attributes[k] && into.attributes[k] !== v) values[k] = into.attributes[k];
      const merged = first.ok ? first : roster.command({ op: 'mergeUsers', into: into.id, from: [from.id], values });
      const after = roster.snapshot();
      const undo = roster.undo();
      const undone = roster.snapshot();
      const redo = roster.redo();
      const redone = roster.snapshot();
      return { into, from, first, values, merged, after, undo, undone, redo, redone, before: snap, sugAfter: roster.suggestions() };
    }, noreply);
    if (!out.first.ok) {
      assert.equal(out.first.error.code, 'MERGE_CONFLICT');
      for (const k of Object.keys(out.values)) assert.match(out.first.error.message, new RegExp(k), `conflict names ${k}`);
    }
    assert.equal(out.merged.ok, true, JSON.stringify(out.merged));
    const merged = out.after.users.find((u) => u.id === out.into.id);
    assert.ok(merged.aliases.includes(out.from.email), 'the merged email is an alias');
    assert.match(out.from.email, /@users\.noreply\.github\.com$/);
    assert.equal(out.after.users.find((u) => u.id === out.from.id), undefined);
    assert.equal(merged.identities.length, out.into.identities.length + out.from.identities.length);
    assert.equal(out.after.users.length, out.before.users.length - 1);
    assert.equal(out.undo, true);
    assert.deepEqual(out.undone, out.before, 'undo brings the merged person back with their id');
    assert.equal(out.redo, true);
    assert.deepEqual(out.redone, out.after);
    assert.ok(!hasSuggestion(out.sugAfter, noreply), 'an accepted suggestion is gone');

    // ---- reject a same-name merge and an assign suggestion
    const sug2 = out.sugAfter;
    rejectedMerge = sug2.find((s) => s.kind === 'merge' && s.reasons.some((r) => /Same name/.test(r)));
    rejectedAssign = sug2.find((s) => s.kind === 'assign');
    assert.ok(rejectedMerge && rejectedAssign);
    const rej = await page.evaluate(([m, a]) => [
      roster.command({ op: 'rejectSuggestion', ids: m.ids }),
      roster.command({ op: 'rejectSuggestion', ids: a.ids, identity: a.identity }),
      roster.suggestions(),
    ], [rejectedMerge, rejectedAssign]);
    assert.equal(rej[0].ok, true);
    assert.equal(rej[1].ok, true);
    assert.ok(!hasSuggestion(rej[2], rejectedMerge));
    assert.ok(!hasSuggestion(rej[2], rejectedAssign));
    assert.equal(rej[2].length, sug2.length - 2);
    await page.evaluate(() => roster.flush());
    assertNoPageErrors(page);
  } finally { await ctx.close(); }

  // ---- browser restart
  ctx = await launch(profile);
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => ({ stats: roster.stats(), sug: roster.suggestions() }));
    assert.ok(r.stats.users > 300, 'the directory came back');
    assert.ok(!hasSuggestion(r.sug, rejectedMerge), 'still rejected after a restart');
    assert.ok(!hasSuggestion(r.sug, rejectedAssign), 'still rejected after a restart');
    // ---- re-import the same CSV (update, then replace)
    const re = await page.evaluate((text) => {
      const u = roster.applyImport(text, { mode: 'update' });
      const s1 = roster.suggestions();
      const rp = roster.applyImport(text, { mode: 'replace' });
      return { u, s1, rp, s2: roster.suggestions() };
    }, csv);
    assert.equal(re.u.ok, true);
    assert.equal(re.rp.ok, true);
    for (const list of [re.s1, re.s2]) {
      assert.ok(list.length > 5);
      assert.ok(!hasSuggestion(list, rejectedMerge), 'still rejected after re-importing');
      assert.ok(!hasSuggestion(list, rejectedAssign), 'still rejected after re-importing');
    }
    assertNoPageErrors(page);
  } finally { await ctx.close(); }
});

test('identity ops through window.roster: integrations, accounts, split, errors', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => {
      const o = {};
      o.a = roster.command({ op: 'addUser', name: 'Ada Lovelace', email: 'ada@example.com' });
      o.b = roster.command({ op: 'addUser', name: 'Grace Hopper', email: 'grace@example.com' });
      o.integ = roster.command({ op: 'addIntegration', name: 'GitHub' });
      o.dupInteg = roster.command({ op: 'addIntegration', name: 'github' });
      o.noInteg = roster.command({ op: 'addIdentity', id: o.a.id, integration: 'Gitlab', accountId: 'ada' });
      o.add = roster.command({ op: 'addIdentity', id: o.a.id, integration: 'GITHUB', accountId: 'ada-gh', name: 'Ada L.' });
      o.conflict = roster.command({ op: 'addIdentity', id: o.b.id, integration: 'GitHub', accountId: 'ADA-GH' });
      o.already = roster.command({ op: 'assignIdentity', id: o.b.id, integration: 'GitHub', accountId: 'ada-gh' });
      o.split = roster.command({ op: 'splitIdentity', id: o.a.id, integration: 'GitHub', accountId: 'ada-gh' });
      o.snap = roster.snapshot();
      o.bot = roster.command({ op: 'setIdentityExcluded', integration: 'GitHub', accountId: 'ada-gh', excluded: true });
      o.pattern = roster.command({ op: 'addBotPattern', pattern: 'svc-*' });
      o.lint = roster.lint();
      return o;
    });
    assert.equal(r.integ.ok, true);
    assert.equal(r.dupInteg.error.code, 'DUPLICATE_INTEGRATION');
    assert.equal(r.noInteg.error.code, 'NOT_FOUND');
    assert.equal(r.add.ok, true);
    assert.equal(r.conflict.error.code, 'ACCOUNT_CONFLICT');
    assert.match(r.conflict.error.message, /Ada Lovelace/);
    assert.equal(r.already.error.code, 'ACCOUNT_ALREADY_ASSIGNED');
    assert.equal(r.split.ok, true);
    const split = r.snap.users.find((u) => u.id === r.split.id);
    assert.equal(split.name, 'Ada L.');
    assert.equal(split.email, '');
    assert.deepEqual(split.identities.map((i) => i.accountId), ['ada-gh']);
    assert.equal(r.snap.integrations[0].kind, 'scm');
    assert.equal(r.bot.ok, true);
    assert.equal(r.pattern.ok, true);
    assert.ok(r.lint.some((l) => l.code === 'NO_SCM_ACCOUNT'));
    assertNoPageErrors(page);
  } finally { await ctx.close(); }
});

test('an import that moves an account warns ACCOUNT_CONFLICT naming both people and the line', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const r = await page.evaluate(() => {
      const first = 'Full_Name,Email,Integration: GitHub\r\nAda Lovelace,ada@example.com,ada-gh\r\nGrace Hopper,grace@example.com,grace-gh\r\n';
      const a = roster.applyImport(first, { mode: 'update' });
      const second = 'Full_Name,Email,Integration: GitHub\r\nGrace Hopper,grace@example.com,grace-gh\r\n\r\nGrace Hopper,grace@example.com,ADA-GH\r\n';
      const p = roster.previewImport(second, { mode: 'update' });
      const selfContradicting = roster.previewImport('Full_Name,Email,Integration: GitHub\nA,a@x.com,same\nB,b@x.com,same\n', { mode: 'update' });
      return { a, p, selfContradicting, snap: roster.snapshot() };
    });
    assert.equal(r.a.applied, true);
    assert.equal(r.p.ok, true);
    const w = r.p.warnings.find((x) => x.code === 'ACCOUNT_CONFLICT');
    assert.ok(w, JSON.stringify(r.p.warnings));
    assert.equal(w.line, 4);
    assert.match(w.message, /Ada Lovelace/);
    assert.match(w.message, /grace@example\.com/);
    assert.match(w.message, /ada-gh/i);
    assert.equal(r.selfContradicting.ok, false);
    assert.ok(r.selfContradicting.errors.some((e) => e.code === 'ACCOUNT_CONFLICT' && e.line === 3));
    // a preview changes nothing: the account still has its one owner
    assert.deepEqual(r.snap.users[0].identities.map((i) => i.accountId), ['ada-gh']);
  } finally { await ctx.close(); }
});

test('the Suggestions, Unassigned and accounts panels are drawn', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    // Text lines (bands of ink) in the main pane, or the editor pane, of a screenshot.
    const state = await page.evaluate(() => roster.ui('state'));
    const lines = (file, pane = 'main') => {
      const L = appLayout(state, { editor: pane === 'editor' });
      return inkBands(fs.readFileSync(file), L[pane], { scale: L.scale }).length;
    };
    // The same views of the empty directory: what the checks below must tell apart.
    const empty = {};
    for (const view of ['suggestions', 'unassigned']) {
      await page.evaluate((v) => roster.ui({ action: 'view', view: v }), view);
      await page.waitForTimeout(300);
      empty[view] = lines(await screenshot(page, `collation-empty-${view}.png`));
    }
    await loadSample(page);
    const shots = {};
    await page.evaluate(() => roster.ui({ action: 'view', view: 'users' }));
    await page.waitForTimeout(400);
    const noSelection = lines(await screenshot(page, 'collation-no-selection.png'), 'editor');
    await page.evaluate(() => roster.ui({ action: 'view', view: 'suggestions' }));
    await page.waitForTimeout(600);
    shots.suggestions = await screenshot(page, 'collation-suggestions.png');
    await page.evaluate(() => roster.ui({ action: 'view', view: 'unassigned' }));
    await page.waitForTimeout(400);
    shots.unassigned = await screenshot(page, 'collation-unassigned.png');
    const person = await page.evaluate(() => roster.snapshot().users.find((u) => u.identities.length >= 3));
    const id = person.id;
    await page.evaluate((id) => { roster.ui({ action: 'view', view: 'users' }); roster.ui({ action: 'select', ids: [id] }); }, id);
    await page.waitForTimeout(400);
    shots.editor = await screenshot(page, 'collation-accounts.png');
    for (const [name, file] of Object.entries(shots)) {
      const st = imageStats(fs.readFileSync(file));
      assert.ok(st.distinctColors > 20, `${name}: a real UI is drawn`);
      assert.ok(st.nonBackgroundFraction > 0.02, `${name}: something on screen`);
    }
    // Each panel draws a line per item the data has (as many as fit): the toolbar and the table
    // header, then a row per suggestion (~13 fit at 860 px) or per unassigned account (~18 fit);
    // the editor a line for the name, the email, each attribute and each account.
    const counts = await page.evaluate(() => ({ suggestions: roster.suggestions().length, unassigned: roster.snapshot().unassigned.length,
      attributes: roster.snapshot().attributes.length }));
    const want = {
      suggestions: 2 + Math.min(counts.suggestions, 13),
      unassigned: 2 + Math.min(counts.unassigned, 18),
      editor: 2 + counts.attributes + person.identities.length,
    };
    assert.ok(counts.suggestions >= 10 && counts.unassigned >= 5 && counts.attributes >= 3, JSON.stringify(counts));
    for (const [name, file] of Object.entries(shots)) {
      const got = lines(file, name === 'editor' ? 'editor' : 'main');
      assert.ok(got >= want[name], `${name}: ${got} lines drawn, at least ${want[name]} expected`);
    }
    // ...which the empty directory's panels, and the editor with nobody selected, do not reach.
    assert.ok(empty.suggestions < want.suggestions, `empty suggestions: ${empty.suggestions} lines`);
    assert.ok(empty.unassigned < want.unassigned, `empty unassigned: ${empty.unassigned} lines`);
    assert.ok(noSelection < want.editor, `editor with nobody selected: ${noSelection} lines`);
    const stats = await page.evaluate(() => roster.stats());
    assert.ok(stats.frame.p95Ms < 200, `frames stay interactive: p95 ${stats.frame.p95Ms} ms`);
    assertNoPageErrors(page);
  } finally { await ctx.close(); }
});
