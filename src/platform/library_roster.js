// JavaScript side of src/platform: functions the C++ platform layer calls.
mergeInto(LibraryManager.library, {
  // Makes the files a save changed durable: writes exactly those paths (newline-separated, the
  // store's folder first) from MEMFS to IDBFS's IndexedDB in ONE readwrite transaction, in IDBFS's
  // own record format ({timestamp, mode, contents} keyed by path in 'FILE_DATA'), so IDBFS's
  // populate at start-up reads them like its own. A path that no longer exists is deleted there.
  // Chunks are put before manifest.prev.json and manifest.json, deletions come last; the
  // transaction is all-or-nothing, so a crash leaves the old or the new complete state. Guarded by
  // a timeout and the transaction's abort (quota); reports with roster_sync_done(ok, code, message).
  roster_js_persist__deps: ['$FS', '$MEMFS', '$IDBFS'],
  roster_js_persist: function (pathsPtr, timeoutMs) {
    var paths = UTF8ToString(pathsPtr).split('\n').filter(Boolean);
    var settled = false;
    var t0 = performance.now();
    function report(ok, code, message) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (Module.rosterTrace) Module.rosterTrace('persist', performance.now() - t0, paths.length + ' paths ' + (ok ? 'ok' : code));
      Module.ccall('roster_sync_done', null, ['number', 'string', 'string'], [ok ? 1 : 0, code || '', message || '']);
    }
    function reportError(err) {
      var name = (err && err.name) || '';
      var code = name === 'QuotaExceededError' ? 'QUOTA_EXCEEDED' : name === 'AbortError' ? 'SAVE_ABORTED' : 'STORAGE_ERROR';
      var msg = (err && err.message) || String(err);
      if (code === 'QUOTA_EXCEEDED') msg = 'the browser refused more storage (quota exceeded)';
      else if (code === 'SAVE_ABORTED') msg = 'IndexedDB aborted the write' + (err && err.message ? ': ' + err.message : '');
      report(false, code, msg);
    }
    var timer = setTimeout(function () {
      report(false, 'SAVE_TIMEOUT', 'IndexedDB did not confirm the save within ' + Math.round(timeoutMs / 1000) + ' s');
    }, timeoutMs);
    // Puts in a safe order: folders, chunk files, the previous manifest, the manifest; then deletions.
    function rank(p) {
      if (/\/manifest\.json$/.test(p)) return 3;
      if (/\/manifest\.prev\.json$/.test(p)) return 2;
      return 1;
    }
    var puts = [], dels = [];
    paths.forEach(function (p) {
      var node;
      try { node = FS.lookupPath(p).node; } catch (e) { dels.push(p); return; }
      var st = FS.stat(p);
      if (FS.isDir(st.mode)) puts.push({ path: p, rank: 0, entry: { timestamp: st.mtime, mode: st.mode } });
      else if (FS.isFile(st.mode)) puts.push({ path: p, rank: rank(p), entry: { timestamp: st.mtime, mode: st.mode, contents: MEMFS.getFileDataAsTypedArray(node) } });
    });
    puts.sort(function (a, b) { return a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0); });
    if (Module.rosterPersistLog) Module.rosterPersistLog.push({ puts: puts.map(function (x) { return x.path; }), deletes: dels.slice() });
    IDBFS.getDB('/data', function (err, db) {
      if (err) return reportError(err);
      var tx;
      try {
        tx = db.transaction([IDBFS.DB_STORE_NAME], 'readwrite');
      } catch (e) { return reportError(e); }
      function fail(e) {
        if (settled) return;
        try { tx.abort(); } catch (x) { /* already aborting */ }
        reportError(e || new Error('IndexedDB write failed'));
      }
      tx.onerror = function (e) { e.preventDefault(); fail(tx.error || (e.target && e.target.error) || new Error('IndexedDB transaction error')); };
      tx.onabort = function () { fail(tx.error || new DOMException('IndexedDB transaction aborted', 'AbortError')); };
      tx.oncomplete = function () { report(true, '', ''); };
      var store = tx.objectStore(IDBFS.DB_STORE_NAME);
      // One transaction (all or nothing), but its requests are issued ~30 ms of work at
      // a time: each put copies its file (structured clone), 62 MB after a million-person import,
      // which in one go held the page for 1.3 s. The rest is issued from the last request's
      // success callback, where the transaction is active again; frames draw in between.
      var ops = puts.map(function (x) { return { put: x }; }).concat(dels.map(function (p) { return { del: p }; }));
      var next = 0;
      function issue() {
        if (settled) return;
        try {
          var t = performance.now();
          while (next < ops.length) {
            var op = ops[next++];
            var req = op.put ? store.put(op.put.entry, op.put.path) : store.delete(op.del);
            if (next < ops.length && performance.now() - t > 30) { req.onsuccess = issue; return; }
          }
        } catch (e) { fail(e); }
      }
      issue();
      if (settled) return;
      if (Module.rosterFailNextSync) {   // test hook: simulate a quota error arriving as an abort after the puts
        var kind = Module.rosterFailNextSync; Module.rosterFailNextSync = kind === 'always' ? 'always' : null;
        setTimeout(function () { try { tx.abort(); } catch (e) {} }, 0);
      }
    });
  },

  roster_js_storage_error: function () {
    var e = Module.rosterStorageError;
    if (!e) return 0;
    var s = e.code + '|' + e.message;
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
  },

  roster_js_initial_role: function () {
    var r = Module.rosterInitialRole ? Module.rosterInitialRole() : 'editor';
    var n = lengthBytesUTF8(r) + 1;
    var p = _malloc(n);
    stringToUTF8(r, p, n);
    return p;
  },

  roster_js_on_saved: function () {
    if (Module.rosterOnSaved) Module.rosterOnSaved();
    if (window.rosterTabs) window.rosterTabs.storageInfo();
  },

  roster_js_take_over: function () {
    if (window.rosterTabs) window.rosterTabs.takeOver();
  },

  roster_js_ask_persist: function () {
    if (window.rosterTabs) window.rosterTabs.askPersist();
  },

  roster_js_version_capture: function (filesPtr, keepPtr) {
    var files = UTF8ToString(filesPtr).split('\n').filter(Boolean);
    var keep = UTF8ToString(keepPtr).split('\n').filter(Boolean);
    if (window.rosterVersions) window.rosterVersions.capture(files, keep);
  },

  roster_js_version_fetch: function (filesPtr) {
    var files = UTF8ToString(filesPtr).split('\n').filter(Boolean);
    if (window.rosterVersions) window.rosterVersions.fetch(files).then(function (ok) {
      Module.rosterCall('versionFetched', { ok: ok });
    });
  },

  roster_js_ready: function () {
    if (Module.rosterResolveReady) Module.rosterResolveReady();
  },

  roster_js_sync_finished: function (ok, revision, codePtr, msgPtr) {
    if (Module.rosterOnSyncFinished) Module.rosterOnSyncFinished(!!ok, revision, UTF8ToString(codePtr), UTF8ToString(msgPtr));
  },

  roster_js_copy_text: function (ptr) {
    var text = UTF8ToString(ptr);
    Module.rosterClipboard = text;
    try { if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(function () {}); } catch (e) {}
  },

  roster_js_fetch_sample: function () {
    if (Module.rosterLoadSample) Module.rosterLoadSample();
  },

  roster_js_set_cursor: function (ptr) {
    var c = UTF8ToString(ptr);
    if (Module.canvas && Module.canvas.style.cursor !== c) Module.canvas.style.cursor = c;
  },

  roster_js_open_picker: function () {
    if (window.rosterFiles) window.rosterFiles.openPicker();
  },

  roster_js_save_file: function (namePtr, dataPtr, len) {
    var name = UTF8ToString(namePtr);
    var bytes = HEAPU8.slice(dataPtr >>> 0, (dataPtr >>> 0) + (len >>> 0));
    if (window.rosterFiles) window.rosterFiles.saveFile(name, bytes);
  },

  // Several files (the import bundle's layout, shell/bundle.js) saved as one zip made in the page.
  roster_js_save_zip: function (namePtr, dataPtr, len) {
    var name = UTF8ToString(namePtr);
    var bytes = HEAPU8.slice(dataPtr >>> 0, (dataPtr >>> 0) + (len >>> 0));
    var files = window.rosterBundle && window.rosterBundle.decode(bytes);
    if (files && window.rosterFiles) window.rosterFiles.saveZip(name, files);
  },

  roster_js_now_ms: function () { return Date.now(); },

  roster_js_heap_bytes: function () { return HEAPU8.length; },

  roster_js_set_title: function (ptr) { document.title = UTF8ToString(ptr); },
});
