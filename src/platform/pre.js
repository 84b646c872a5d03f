// Runs before the module starts: mount IndexedDB (IDBFS) at /data and load it before main().
// Also hardens IDBFS.reconcile (Emscripten 3.1.6): an aborted transaction (how a quota error
// arrives) must report an error instead of never calling back.
var Module = typeof Module !== 'undefined' ? Module : {};
// Timings of start-up and saves: always kept in Module.rosterTimes ({name, ms, at, detail}); also
// printed to the console with ?debug=timing in the URL or localStorage['roster-debug'] = 'timing'.
Module.rosterTimes = [];
Module.rosterTrace = function (name, ms, detail) {
  Module.rosterTimes.push({ name: name, ms: ms, at: performance.now(), detail: detail || '' });
  if (Module.rosterTimes.length > 200) Module.rosterTimes.shift();
  if (Module.rosterDebugTiming === undefined) {
    var on = false;
    try { on = /(^|[?&])debug=timing/.test(location.search) || localStorage.getItem('roster-debug') === 'timing'; } catch (e) { /* no storage */ }
    Module.rosterDebugTiming = on;
  }
  if (Module.rosterDebugTiming) console.log('[roster timing] ' + name + ' ' + ms.toFixed(1) + ' ms' + (detail ? ' ' + detail : ''));
};
Module.preRun = Module.preRun || [];
Module.preRun.push(function rosterFetchFonts() {
  // TrueType fonts from Debian's fonts-dejavu-core, served beside the page (and precached).
  FS.mkdir('/fonts');
  ['DejaVuSans.ttf', 'DejaVuSansMono.ttf'].forEach(function (name) {
    addRunDependency('font-' + name);
    fetch('fonts/' + name).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      FS.writeFile('/fonts/' + name, new Uint8Array(buf));
    }).catch(function (e) {
      console.warn('font ' + name + ' not loaded (' + e + '): using the built-in font');
    }).finally(function () { removeRunDependency('font-' + name); });
  });
});
Module.preRun.push(function rosterMountStorage() {
  rosterPatchIdbfs();
  FS.mkdir('/data');
  FS.mount(IDBFS, {}, '/data');
  addRunDependency('roster-idbfs');
  var settled = false;
  var t0 = performance.now();
  var timer = setTimeout(function () {
    if (settled) return;
    settled = true;
    Module.rosterStorageError = { code: 'STORAGE_TIMEOUT', message: 'IndexedDB did not answer within 20 s' };
    removeRunDependency('roster-idbfs');
  }, 20000);
  rosterPopulate(function (err) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    Module.rosterTrace('populate', performance.now() - t0, err ? 'error' : '');
    if (err) Module.rosterStorageError = { code: 'STORAGE_UNAVAILABLE', message: 'IndexedDB could not be read: ' + (err && (err.message || err.name) || err) };
    removeRunDependency('roster-idbfs');
  });
});

// Start-up read of the stored directory into MEMFS: what FS.syncfs(true) does into an empty mount,
// without its cursor over every stored entry (one round trip per file) and without walking MEMFS:
// one readonly transaction, the keys under /data/ at once, every value requested at once, each
// file handed to MEMFS without a copy (IDBFS.storeLocalEntry, canOwn). Records are IDBFS's own.
//
// The read starts as soon as this script runs (rosterReadEarly below), while the WebAssembly module
// is still being fetched and compiled: Emscripten runs preRun only once the module is instantiated,
// and reading IndexedDB does not need it. rosterPopulate (in preRun) then waits for that read, hands
// its connection to IDBFS (IDBFS.dbs, so later syncs reuse it) and writes the files into MEMFS.
var ROSTER_IDB_NAME = '/data', ROSTER_IDB_VERSION = 21, ROSTER_IDB_STORE = 'FILE_DATA';   // IDBFS 3.1.6's

function rosterOpenDb(callback) {
  // The same database, version and upgrade as IDBFS.getDB (library_idbfs.js, Emscripten 3.1.6).
  var req;
  try { req = indexedDB.open(ROSTER_IDB_NAME, ROSTER_IDB_VERSION); } catch (e) { return callback(e); }
  if (!req) return callback(new Error('Unable to connect to IndexedDB'));
  req.onupgradeneeded = function (e) {
    var db = e.target.result, transaction = e.target.transaction, fileStore;
    if (db.objectStoreNames.contains(ROSTER_IDB_STORE)) fileStore = transaction.objectStore(ROSTER_IDB_STORE);
    else fileStore = db.createObjectStore(ROSTER_IDB_STORE);
    if (!fileStore.indexNames.contains('timestamp')) fileStore.createIndex('timestamp', 'timestamp', { unique: false });
  };
  req.onsuccess = function () { callback(null, req.result); };
  req.onerror = function (e) { e.preventDefault(); callback(req.error || new Error('IndexedDB could not be opened')); };
}

// Reads every record under /data/: callback(err, db, keys, entries, msReading).
function rosterReadAll(callback) {
  var done = false;
  function finish(err, db, keys, entries, ms) { if (done) return; done = true; callback(err || null, db, keys, entries, ms); }
  rosterOpenDb(function (err, db) {
    if (err) return finish(err);
    var tx, store;
    try {
      tx = db.transaction([ROSTER_IDB_STORE], 'readonly');
      store = tx.objectStore(ROSTER_IDB_STORE);
    } catch (e) { return finish(e, db); }
    tx.onabort = function () { finish(tx.error || new Error('IndexedDB read aborted'), db); };
    tx.onerror = function (e) { e.preventDefault(); finish(tx.error || (e.target && e.target.error) || new Error('IndexedDB read failed'), db); };
    var keysReq = store.getAllKeys(IDBKeyRange.bound('/data/', '/data/\uffff'));
    keysReq.onsuccess = function () {
      var keys = (keysReq.result || []).filter(function (k) { return typeof k === 'string'; }).sort();
      var tKeys = performance.now();
      var entries = new Array(keys.length), left = keys.length;
      if (!left) return finish(null, db, keys, entries, 0);
      keys.forEach(function (key, i) {
        var r = store.get(key);
        r.onsuccess = function () {
          entries[i] = r.result;
          if (!--left) finish(null, db, keys, entries, performance.now() - tKeys);
        };
      });
    };
  });
}

var rosterEarly = null;   // {t0, result: [err, db, keys, entries, ms] once read, then: function}
(function rosterReadEarly() {
  if (typeof indexedDB === 'undefined' || typeof performance === 'undefined') return;
  var early = { t0: performance.now(), result: null, then: null };
  rosterEarly = early;
  try {
    rosterReadAll(function () {
      early.result = Array.prototype.slice.call(arguments);
      early.tDone = performance.now();
      if (early.then) early.then();
    });
  } catch (e) {
    rosterEarly = null;
  }
})();

function rosterPopulate(callback) {
  var early = rosterEarly;
  rosterEarly = null;
  var tWait = performance.now();
  function apply(err, db, keys, entries, ms) {
    if (db && !IDBFS.dbs[ROSTER_IDB_NAME]) {
      IDBFS.dbs[ROSTER_IDB_NAME] = db;   // IDBFS.getDB's cache: later syncs use this connection
    }
    if (err) return callback(err);
    var bytes = 0;
    var t1 = performance.now();
    try {
      // Create folders before their files (keys are sorted).
      for (var j = 0; j < keys.length; j++) {
        var e = entries[j];
        entries[j] = null;
        if (!e || e.mode === undefined) continue;
        if (e.contents) {
          bytes += e.contents.length;
          var parent = keys[j].slice(0, keys[j].lastIndexOf('/'));
          try { FS.mkdirTree(parent); } catch (x) { /* exists */ }
        }
        IDBFS.storeLocalEntry(keys[j], e, function (err) { if (err) throw err; });
      }
    } catch (x) { return callback(x); }
    Module.rosterTrace('populate.read', ms, keys.length + ' files, ' + bytes + ' bytes' +
                       (early ? ', started ' + early.t0.toFixed(0) + ' ms, waited ' + (t1 - tWait).toFixed(0) + ' ms in preRun' : ''));
    Module.rosterTrace('populate.memfs', performance.now() - t1, '');
    callback(null);
  }
  if (!early) return rosterReadAll(apply);
  if (early.result) return apply.apply(null, early.result);
  early.then = function () { apply.apply(null, early.result); };
}

function rosterPatchIdbfs() {
  IDBFS.reconcile = function (src, dst, callback) {
    var create = [], remove = [];
    var tStart = performance.now();
    Object.keys(src.entries).forEach(function (key) {
      var e = src.entries[key], e2 = dst.entries[key];
      if (!e2 || e['timestamp'].getTime() != e2['timestamp'].getTime()) create.push(key);
    });
    Object.keys(dst.entries).forEach(function (key) { if (!src.entries[key]) remove.push(key); });
    if (!create.length && !remove.length) return callback(null);
    var finished = false;
    function finish(err) {
      if (finished) return;
      finished = true;
      Module.rosterTrace(dst.type === 'local' ? 'populate.reconcile' : 'syncfs.reconcile', performance.now() - tStart, create.length + ' files');
      callback(err || null);
    }
    var db = src.type === 'remote' ? src.db : dst.db;
    var transaction;
    try {
      transaction = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite');
    } catch (e) { return finish(e); }
    var store = transaction.objectStore(IDBFS.DB_STORE_NAME);
    function fail(err) {
      if (finished) return;
      try { transaction.abort(); } catch (e) { /* already aborting */ }
      finish(err || new Error('IndexedDB write failed'));
    }
    transaction.onerror = function (e) { e.preventDefault(); fail(transaction.error || (e.target && e.target.error) || new Error('IndexedDB transaction error')); };
    transaction.onabort = function () { fail(transaction.error || new DOMException('IndexedDB transaction aborted', 'AbortError')); };
    transaction.oncomplete = function () { finish(null); };
    if (Module.rosterFailNextSync) {   // test hook: simulate a quota error arriving as an abort after the puts
      var kind = Module.rosterFailNextSync; Module.rosterFailNextSync = kind === 'always' ? 'always' : null;
      setTimeout(function () { try { transaction.abort(); } catch (e) {} }, 0);
    }
    function step(err) { if (err) fail(err); }
    create.sort().forEach(function (path) {
      if (dst.type === 'local') {
        IDBFS.loadRemoteEntry(store, path, function (err, entry) { if (err) return fail(err); IDBFS.storeLocalEntry(path, entry, step); });
      } else {
        IDBFS.loadLocalEntry(path, function (err, entry) {
          if (err) return fail(err);
          try { IDBFS.storeRemoteEntry(store, path, entry, step); } catch (e) { fail(e); }
        });
      }
    });
    remove.sort().reverse().forEach(function (path) {
      if (dst.type === 'local') IDBFS.removeLocalEntry(path, step);
      else { try { IDBFS.removeRemoteEntry(store, path, step); } catch (e) { fail(e); } }
    });
  };
}
// Ctrl+wheel (and a trackpad's pinch, which arrives as one) belongs to the browser's zoom: stopped
// before it reaches the canvas, whose GLFW handler would cancel it (issue 19: zoom).
if (typeof window !== 'undefined')
  window.addEventListener('wheel', function (e) { if (e.ctrlKey) e.stopImmediatePropagation(); }, { capture: true, passive: true });

// The accessibility mirror (issue 19): the frame's tree from C++ (main.cpp publishA11y, sent only
// when it changed) kept as an invisible DOM subtree over the canvas: each element over its widget,
// with its role, name, value and state, so a screen reader can move through the app and the
// browser's find can land on a visible cell. Elements are kept by key and only what changed is
// touched. Names and values are set as text (textContent, value, attributes one by one), never as
// HTML.
//
// Focus follows both ways: the element of ImGui's focused item (its nav id; a row of a grid through
// the grid's aria-activedescendant) takes the DOM focus when the DOM focus is on the page, the canvas
// or the mirror (never taken from anything else); and an element of the mirror that gets the DOM
// focus some other way (a screen reader moving its focus) queues its item's id in
// Module.rosterFocusRequest, which main.cpp hands to ImGui in the next frame. Both happen only when
// the tree changed (no work per frame).
Module.rosterA11y = (function () {
  var root = null, nav = null, main = null, dialogHosts = [], gridEls = {}, nodeEls = {}, listEls = {};
  var moving = false;   // the mirror itself is moving the DOM focus (not a request for ImGui)
  var gridSeq = 0;      // each grid's rows get ids of their own (aria-activedescendant)
  function mayTakeFocus() {
    var a = document.activeElement;
    return !a || a === document.body || a === document.documentElement || a.id === 'canvas' || (root && root.contains(a));
  }
  function focusEl(e) {
    if (!e || document.activeElement === e || !mayTakeFocus()) return;
    moving = true;
    try { e.focus({ preventScroll: true }); } finally { moving = false; }
  }
  function onFocusIn(ev) {
    if (moving) return;
    var t = ev.target, id = t && t.dataset && t.dataset.id;
    if (id) { Module.rosterFocusRequest = +id; return; }
    // A row or cell of a grid: its person (and column) takes the table's focus and selection.
    var row = t && t.closest && t.closest('[data-row]'), box = row && row.closest('[role=grid]');
    if (row && box && box.dataset.grid !== undefined)
      Module.rosterGridFocusRequest = { g: +box.dataset.grid, row: +row.dataset.row, col: t.dataset.col !== undefined ? +t.dataset.col : -1 };
  }
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function setAttr(e, k, v) {
    if (v === null || v === undefined) { if (e.hasAttribute(k)) e.removeAttribute(k); return; }
    v = String(v);
    if (e.getAttribute(k) !== v) e.setAttribute(k, v);
  }
  // (what place and setText last wrote is kept on the element: comparing with it costs less than
  // reading the style or the text back)
  function place(e, o) {
    var x = o.x, y = o.y, w = Math.max(1, o.w), h = Math.max(1, o.h), p = e._rosterPlace;
    if (p && p[0] === x && p[1] === y && p[2] === w && p[3] === h) return;
    var s = e.style;
    if (!p || p[0] !== x) s.left = x + 'px';
    if (!p || p[1] !== y) s.top = y + 'px';
    if (!p || p[2] !== w) s.width = w + 'px';
    if (!p || p[3] !== h) s.height = h + 'px';
    e._rosterPlace = [x, y, w, h];
  }
  function setText(e, t) {
    if (e._rosterText === t) return;
    var n = e.firstChild;
    if (n && n.nodeType === 3 && !n.nextSibling) n.data = t;   // the text node's data: no node replaced
    else e.textContent = t;
    e._rosterText = t;
  }
  function ensureRoot() {
    if (root && root.isConnected) return;
    if (root) { nodeEls = {}; gridEls = {}; dialogHosts = []; listEls = {}; }   // removed (the mirror turned off and on)
    root = el('div', { id: 'a11y', 'aria-label': 'Roster' });
    root.addEventListener('focusin', onFocusIn);
    nav = el('nav', { 'aria-label': 'Directory' });
    main = el('main', { 'aria-label': 'Roster user directory' });
    root.appendChild(nav);
    root.appendChild(main);
    document.body.appendChild(root);
  }
  function makeNode(o) {
    var e;
    if (o.r === 'textbox') { e = el('input', { type: 'text', tabindex: '-1', readonly: '' }); }
    else if (o.r === 'button') { e = el('button', { type: 'button', tabindex: '-1' }); }
    else if (o.r === 'link') { e = el('a', { role: 'link', tabindex: '-1', href: '#' }); e.addEventListener('click', function (ev) { ev.preventDefault(); }); }
    else { e = el('div', { role: o.r, tabindex: '-1' }); }
    e.dataset.role = o.r;
    e.dataset.id = String(o.i);
    return e;
  }
  function updateNode(e, o) {
    if (o.r === 'textbox') {
      setAttr(e, 'aria-label', o.n);
      if (e.value !== (o.v || '')) e.value = o.v || '';
    } else {
      setText(e, o.n);
    }
    setAttr(e, 'aria-checked', o.c === undefined ? null : (o.c ? 'true' : 'false'));
    setAttr(e, 'aria-expanded', o.e === undefined ? null : (o.e ? 'true' : 'false'));
    if (o.r === 'tab') setAttr(e, 'aria-selected', o.s ? 'true' : 'false');
    if (o.nav) setAttr(e, 'aria-current', o.s ? 'page' : null);
    setAttr(e, 'data-focused', o.f ? 'true' : null);
    place(e, o);
  }
  function updateGrid(key, g, index) {
    var gEl = gridEls[key];
    if (!gEl) {
      gEl = { box: el('div', { role: 'grid', tabindex: '-1' }), head: el('div', { role: 'row', 'aria-rowindex': '1' }), rowList: [], key: 'a11y-g' + (++gridSeq) + '-' };
      gEl.box.appendChild(gEl.head);
      main.appendChild(gEl.box);
      gridEls[key] = gEl;
    }
    setAttr(gEl.box, 'aria-label', g.n);
    setAttr(gEl.box, 'data-grid', index);
    setAttr(gEl.box, 'aria-rowcount', g.rc + 1);
    setAttr(gEl.box, 'aria-colcount', g.hd.length);
    setAttr(gEl.box, 'aria-multiselectable', 'true');
    place(gEl.box, g);
    var hs = gEl.head.children, rowH = g.rows.length ? g.rows[0].h : 20, hw = g.w / Math.max(1, g.hd.length);
    place(gEl.head, { x: 0, y: 0, w: g.w, h: rowH });
    while (hs.length > g.hd.length) gEl.head.removeChild(gEl.head.lastChild);
    for (var c = 0; c < g.hd.length; c++) {
      var hc = hs[c] || gEl.head.appendChild(el('div', { role: 'columnheader' }));
      setAttr(hc, 'aria-colindex', c + 1);
      setText(hc, g.hd[c]);
      if (g.cx && g.cx.length === 2 * g.hd.length) place(hc, { x: g.cx[2 * c] - g.x, y: 0, w: g.cx[2 * c + 1], h: rowH });
      else place(hc, { x: Math.round(c * hw), y: 0, w: Math.round(hw), h: rowH });
    }
    // Rows by their place in the visible window: the k-th row drawn keeps its element, so scrolling
    // rewrites texts and indexes and never creates, removes or moves elements.
    var rowEls = gEl.rowList, focusedRow = null, focusedCell = null;
    while (rowEls.length > g.rows.length) rowEls.pop().remove();
    g.rows.forEach(function (r, k) {
      var re = rowEls[k];
      // (rows and cells take the DOM focus from a screen reader: onFocusIn)
      if (!re) { re = el('div', { role: 'row', tabindex: '-1' }); rowEls.push(re); gEl.box.appendChild(re); }
      setAttr(re, 'id', gEl.key + r.i);
      setAttr(re, 'data-row', r.i);
      if (r.f) focusedRow = re;
      setAttr(re, 'data-focused', r.f ? 'true' : null);
      setAttr(re, 'aria-rowindex', r.i + 2);
      setAttr(re, 'aria-selected', r.s ? 'true' : 'false');
      place(re, { x: r.x - g.x, y: r.y - g.y, w: r.w, h: r.h });
      var cs = re.children, cw = r.w / Math.max(1, r.c.length), cx = g.cx && g.cx.length === 2 * r.c.length ? g.cx : null;
      while (cs.length > r.c.length) re.removeChild(re.lastChild);
      for (var c = 0; c < r.c.length; c++) {
        var ce = cs[c] || re.appendChild(el('div', { role: 'gridcell', tabindex: '-1', 'data-col': c, 'aria-colindex': c + 1 }));
        setText(ce, r.c[c]);
        if (cx) place(ce, { x: cx[2 * c] - r.x, y: 0, w: cx[2 * c + 1], h: r.h });   // over its column
        else place(ce, { x: Math.round(c * cw), y: 0, w: Math.round(cw), h: r.h });
        // The cell cursor (the focused cell of the focused row): the grid names it by its id.
        var fc = r.f && r.fc === c;
        if (fc) focusedCell = ce;
        setAttr(ce, 'id', fc ? re.id + '-' + (c + 1) : null);
        setAttr(ce, 'data-focused', fc ? 'true' : null);
      }
    });
    // The focused row: the grid keeps the DOM focus and names the row (aria-activedescendant).
    // The focused cell when the row has one (screen readers read the cell, with its column header).
    setAttr(gEl.box, 'aria-activedescendant', focusedCell ? focusedCell.id : focusedRow ? focusedRow.id : null);
    return focusedRow ? gEl.box : null;
  }
  return function (text) {
    var t;
    try { t = JSON.parse(text); } catch (e) { return; }
    Module.rosterA11yLast = text;
    ensureRoot();
    // Dialogs (modal popups): their nodes live inside them.
    while (dialogHosts.length > t.dialogs.length) { var d0 = dialogHosts.pop(); d0.remove(); }
    t.dialogs.forEach(function (d, k) {
      var h = dialogHosts[k];
      if (!h) { h = el('div', { role: 'dialog', 'aria-modal': 'true' }); dialogHosts[k] = h; root.appendChild(h); }
      setAttr(h, 'aria-label', d.n);
      place(h, d);
    });
    var seen = {}, focused = null, lseen = {};
    t.nodes.forEach(function (o) {
      var key = o.i + ':' + o.r;
      seen[key] = true;
      var e = nodeEls[key];
      if (!e) { e = makeNode(o); nodeEls[key] = e; }
      if (o.f) focused = e;
      var parent = o.nav ? nav : (o.d !== undefined && dialogHosts[o.d]) ? dialogHosts[o.d] : main;
      if (o.l !== undefined) {   // a listitem: in its list (role list, named), in the dialog or main
        var lk = (o.d !== undefined ? o.d : 'm') + ':' + o.l, le = listEls[lk];
        if (!le || le.parentNode !== parent) { if (le) le.remove(); le = el('div', { role: 'list' }); setAttr(le, 'aria-label', o.l); listEls[lk] = le; parent.appendChild(le); }
        lseen[lk] = true;
        parent = le;
      }
      if (e.parentNode !== parent) parent.appendChild(e);
      if (o.d !== undefined && dialogHosts[o.d]) {
        var dr = t.dialogs[o.d];
        updateNode(e, { r: o.r, n: o.n, v: o.v, c: o.c, e: o.e, s: o.s, f: o.f, nav: o.nav, x: o.x - dr.x, y: o.y - dr.y, w: o.w, h: o.h });
      } else updateNode(e, o);
    });
    for (var k in nodeEls) if (!seen[k]) { nodeEls[k].remove(); delete nodeEls[k]; }
    for (var lk2 in listEls) if (!lseen[lk2]) { listEls[lk2].remove(); delete listEls[lk2]; }
    var gseen = {};
    t.grids.forEach(function (g, k) { gseen[g.n] = true; focused = updateGrid(g.n, g, k) || focused; });
    for (var gk in gridEls) if (!gseen[gk]) { gridEls[gk].box.remove(); delete gridEls[gk]; }
    focusEl(focused);
    setAttr(root, 'data-focus-visible', t.fv ? 'true' : null);   // ImGui draws its focus highlight (keyboard use)
    Module.rosterA11yUpdates = (Module.rosterA11yUpdates || 0) + 1;
  };
})();
