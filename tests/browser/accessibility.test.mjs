// Issue 19 part 4, zoom and contrast: the page lets the browser zoom (no user-scalable=no, no
// maximum-scale, Ctrl+wheel reaches the browser), the first open follows prefers-color-scheme,
// prefers-contrast: more and prefers-reduced-motion, and every theme's text colours meet 4.5:1
// against the backgrounds they are drawn on (WCAG 2.1 AA), computed from the theme's own colours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, tempProfile, screenshot, decodePng, regionStats } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.close(); });

// WCAG 2.1 relative luminance and contrast ratio of two opaque sRGB colours in 0..1.
function lum([r, g, b]) {
  const f = (c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
export function contrast(a, b) {
  const x = lum(a), y = lum(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
// A colour with alpha drawn over an opaque one.
function over([r, g, b, a], [R, G, B]) { return [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)]; }

test('contrast: the ratio computation is WCAG\'s (black on white 21:1, #767676 on white 4.54:1)', () => {
  assert.ok(Math.abs(contrast([0, 0, 0], [1, 1, 1]) - 21) < 1e-9);
  const g = 0x76 / 255;
  assert.ok(Math.abs(contrast([g, g, g], [1, 1, 1]) - 4.54) < 0.01);
  assert.ok(contrast([0.6, 0.6, 0.6], [1, 1, 1]) < 4.5);   // #999 on white fails: the check can fail
});

test('every theme: text, muted text and status colours meet 4.5:1 on every background they are drawn on', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const failures = [];
    for (const dark of [true, false])
      for (const highContrast of [false, true]) {
        const r = await page.evaluate((o) => roster.ui({ action: 'themeColors', ...o }), { dark, highContrast });
        assert.equal(r.ok, true);
        const c = r.colors;
        const window = c.WindowBg.slice(0, 3), child = over(c.ChildBg, window);
        // The backgrounds text sits on: panes, popups, menus, fields, buttons, table headers, the
        // striped and the selected rows, tabs.
        const backs = {
          WindowBg: window, ChildBg: child, PopupBg: over(c.PopupBg, window), MenuBarBg: over(c.MenuBarBg, window),
          FrameBg: over(c.FrameBg, child), Button: over(c.Button, child), ButtonHovered: over(c.ButtonHovered, child),
          TableHeaderBg: over(c.TableHeaderBg, child), StripedRow: over(c.TableRowBgAlt, child),
          SelectedRow: over(c.Header, child), HoveredRow: over(c.HeaderHovered, child),
          Tab: over(c.Tab, window), TabActive: over(c.TabActive, window),
        };
        const texts = { Text: c.Text, TextDisabled: c.TextDisabled, StatusError: c.StatusError, StatusOk: c.StatusOk, StatusWarn: c.StatusWarn };
        // Status colours are drawn on panes and popups (toasts, counts, messages), muted text also
        // on fields and table headers; the body text everywhere.
        const where = {
          Text: Object.keys(backs),
          TextDisabled: ['WindowBg', 'ChildBg', 'PopupBg', 'MenuBarBg', 'FrameBg', 'TableHeaderBg', 'StripedRow', 'SelectedRow'],
          StatusError: ['WindowBg', 'ChildBg', 'PopupBg', 'StripedRow'],
          StatusOk: ['WindowBg', 'ChildBg', 'PopupBg', 'StripedRow'],
          StatusWarn: ['WindowBg', 'ChildBg', 'PopupBg', 'StripedRow'],
        };
        for (const [tn, list] of Object.entries(where))
          for (const bn of list) {
            const ratio = contrast(over(texts[tn], backs[bn]), backs[bn]);
            if (ratio < 4.5) failures.push(`${dark ? 'dark' : 'light'}${highContrast ? '+high contrast' : ''}: ${tn} on ${bn} ${ratio.toFixed(2)}:1`);
          }
        if (highContrast) assert.ok(contrast(c.Text.slice(0, 3), window) >= 15, 'high contrast body text is near black/white');
      }
    assert.deepEqual(failures, []);
  } finally { await ctx.close(); }
});

test('zoom: the page lets the browser zoom; Ctrl+wheel is not taken by the canvas', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const meta = await page.evaluate(() => document.querySelector('meta[name=viewport]').content);
    assert.doesNotMatch(meta, /user-scalable\s*=\s*no/);
    assert.doesNotMatch(meta, /maximum-scale/);
    // A Ctrl+wheel over the canvas is left to the browser (not cancelled); a plain wheel scrolls the app.
    const prevented = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      const r = c.getBoundingClientRect();
      const mk = (ctrlKey) => new WheelEvent('wheel', { deltaY: -100, ctrlKey, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true });
      const a = mk(true), b = mk(false);
      c.dispatchEvent(a);
      c.dispatchEvent(b);
      return { ctrl: a.defaultPrevented, plain: b.defaultPrevented };
    });
    assert.equal(prevented.ctrl, false);
    assert.equal(prevented.plain, true);
  } finally { await ctx.close(); }
});

test('the first open follows prefers-color-scheme: light, prefers-contrast: more and prefers-reduced-motion', async () => {
  const light = await launch(tempProfile(), { colorScheme: 'light' });
  try {
    const page = await openApp(light, srv.url);
    const st = await page.evaluate(() => roster.ui('state'));
    assert.equal(st.dark, false);
    assert.equal(st.highContrast, false);
    assert.equal(st.reducedMotion, false);
  } finally { await light.close(); }
  const hc = await launch(tempProfile(), { colorScheme: 'dark', contrast: 'more', reducedMotion: 'reduce' });
  try {
    const page = await openApp(hc, srv.url);
    const st = await page.evaluate(() => roster.ui('state'));
    assert.equal(st.dark, true);
    assert.equal(st.highContrast, true);
    assert.equal(st.reducedMotion, true);
    // Drawn: the window background is black, the spinner's animation is off.
    await page.waitForTimeout(300);
    const file = await screenshot(page, 'high-contrast-dark.png');
    const png = decodePng((await import('node:fs')).readFileSync(file));
    const s = regionStats(png, { x: Math.round(st.width * 0.05), y: Math.round(st.height * 0.9), w: 40, h: 20 });
    assert.ok(s.bg[0] <= 12 && s.bg[1] <= 12 && s.bg[2] <= 12, `background ${JSON.stringify(s.bg)}`);
    const anim = await page.evaluate(() => { const d = document.createElement('div'); d.className = 'spinner'; document.body.appendChild(d); const a = getComputedStyle(d).animationName; d.remove(); return a; });
    assert.equal(anim, 'none');
  } finally { await hc.close(); }
});

// Issue 19 part 2: the live regions say what the toasts, the save status and the jobs show.
test('live regions: an import is announced with its counts, undo with what it undid, a failed save assertively with why', async () => {
  const ctx = await launch(tempProfile());
  try {
    const page = await openApp(ctx, srv.url);
    const roles = await page.evaluate(() => ({
      polite: [document.getElementById('live').getAttribute('role'), document.getElementById('live').getAttribute('aria-live')],
      alert: [document.getElementById('live-alert').getAttribute('role'), document.getElementById('live-alert').getAttribute('aria-live')],
    }));
    assert.deepEqual(roles, { polite: ['status', 'polite'], alert: ['alert', 'assertive'] });
    const liveText = (id) => page.evaluate((id) => document.getElementById(id).textContent, id);
    // An import through the page's own path (a dropped file, confirmed in the preview).
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Full_Name,Email\nAda Lovelace,ada@example.com\nGrace Hopper,grace@example.com\n'], 'people.csv', { type: 'text/csv' }));
      const c = document.getElementById('canvas');
      for (const type of ['dragenter', 'dragover', 'drop']) c.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await page.waitForFunction(() => roster.pendingImport() !== null, null, { timeout: 20000 });
    await page.evaluate(() => roster.ui({ action: 'applyImportDialog' }));
    await page.waitForFunction(() => /Imported/.test(document.getElementById('live').textContent), null, { timeout: 10000 });
    assert.match(await liveText('live'), /Imported: 2 added/);
    // Undo from the keyboard: announced with what it undid.
    await page.locator('#canvas').focus();
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => /^Undone/.test(document.getElementById('live').textContent), null, { timeout: 10000 });
    assert.match(await liveText('live'), /^Undone: Import/);
    // A failed save: assertive, with the reason.
    await page.evaluate(async () => {
      Module.rosterFailNextSync = 'always';
      roster.command({ op: 'addUser', name: 'Pending', email: 'pending@example.com' });
      try { await roster.flush(); } catch (e) { /* expected */ }
    });
    await page.waitForFunction(() => /Not saved/.test(document.getElementById('live-alert').textContent), null, { timeout: 10000 });
    assert.match(await liveText('live-alert'), /^Not saved\. .+\. Error SAVE_ABORTED/);
    // Names reach the live region as text, never as HTML.
    await page.evaluate(() => { Module.rosterFailNextSync = null; });
    const evil = '<img src=x onerror="window.__pwned=1">';
    await page.evaluate((n) => roster.command({ op: 'addUser', name: n, email: 'evil@example.com' }), evil);
    await page.evaluate(() => roster.ui({ action: 'select', ids: [roster.snapshot().users.find((u) => u.email === 'evil@example.com').id] }));
    await page.keyboard.press('Delete');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#live img, #live-alert img').length), 0);
  } finally { await ctx.close(); }
});
