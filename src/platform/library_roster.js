// JavaScript side of src/platform: functions the C++ platform layer calls.
mergeInto(LibraryManager.library, {
  // Starts one IDBFS sync of /data to IndexedDB, guarded by a timeout; reports to C++ with
  // roster_sync_done(ok, code, message).
  roster_js_sync_start__deps: ['$FS'],
  roster_js_sync_start: function (timeoutMs) {
    var settled = false;
    function report(ok, code, message) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      Module.ccall('roster_sync_done', null, ['number', 'string', 'string'], [ok ? 1 : 0, code || '', message || '']);
    }
    var timer = setTimeout(function () {
      report(false, 'SAVE_TIMEOUT', 'IndexedDB did not confirm the save within ' + Math.round(timeoutMs / 1000) + ' s');
    }, timeoutMs);
    try {
      FS.syncfs(false, function (err) {
        if (!err) return report(true, '', '');
        var name = (err && err.name) || '';
        var code = name === 'QuotaExceededError' ? 'QUOTA_EXCEEDED' : name === 'AbortError' ? 'SAVE_ABORTED' : 'STORAGE_ERROR';
        var msg = (err && err.message) || String(err);
        if (code === 'QUOTA_EXCEEDED') msg = 'the browser refused more storage (quota exceeded)';
        else if (code === 'SAVE_ABORTED') msg = 'IndexedDB aborted the write' + (err && err.message ? ': ' + err.message : '');
        report(false, code, msg);
      });
    } catch (e) {
      report(false, 'STORAGE_ERROR', String(e && e.message || e));
    }
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

  roster_js_now_ms: function () { return Date.now(); },

  roster_js_heap_bytes: function () { return HEAPU8.length; },

  roster_js_set_title: function (ptr) { document.title = UTF8ToString(ptr); },
});
