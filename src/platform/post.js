// window.roster: the automation API (see docs/automation-api.md). Every call crosses into C++
// through roster_api(method, json) and comes back as JSON; edits go through the core's commands.
(function () {
  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });
  Module.rosterResolveReady = function () { if (readyResolve) { readyResolve(true); readyResolve = null; } };

  function allocString(s) {
    var n = lengthBytesUTF8(s) + 1;
    var p = Module._malloc(n);
    stringToUTF8(s, p, n);
    return p;
  }

  // Calls into C++ with a method name, a JSON argument, and optional bytes (CSV input).
  function call(method, arg, bytes) {
    var m = allocString(method);
    var a = allocString(JSON.stringify(arg === undefined ? null : arg));
    var bp = 0, bn = 0;
    if (bytes) {
      bn = bytes.length;
      // Written into the C++ side's input buffer, which applyImport can take over (no copy).
      bp = Module._roster_input_alloc(bn);
      if (!bp) { Module._free(m); Module._free(a); return { ok: false, error: { code: 'FILE_TOO_LARGE', message: 'Not enough memory for ' + bn + ' bytes' } }; }
      HEAPU8.set(bytes, bp >>> 0);
    }
    try {
      var r = Module.ccall('roster_api', 'number', ['number', 'number', 'number', 'number'], [m, a, bp, bn]);
      var text = UTF8ToString(r >>> 0);
      return JSON.parse(text);
    } finally {
      Module._free(m); Module._free(a); if (bp) Module._roster_input_release();
    }
  }
  Module.rosterCall = call;
  // A large file streamed into the C++ side's stream buffer a chunk at a time (files.js): the
  // buffer's address, then each chunk written at its offset (HEAPU8 is re-read: memory may grow).
  Module.rosterStreamAlloc = function (n) { return Module._roster_stream_alloc(n) >>> 0; };
  Module.rosterStreamWrite = function (p, offset, chunk) { HEAPU8.set(chunk, p + offset); };
  Module.rosterStreamRelease = function () { Module._roster_stream_release(); };

  // An import's data as bytes: a string (UTF-8), a Uint8Array or an ArrayBuffer; or several files
  // given together, {files: [{name, data}]}, as one bundle (shell/bundle.js: the core reads the
  // bundle at every import entry point). {error} when the files are not given right.
  function csvArg(data) {
    if (typeof data === 'string') return { bytes: new TextEncoder().encode(data) };
    if (data instanceof Uint8Array) return { bytes: data };
    if (data instanceof ArrayBuffer) return { bytes: new Uint8Array(data) };
    if (data && typeof data === 'object' && Array.isArray(data.files)) {
      if (!window.rosterBundle) return { error: { code: 'INTERNAL', message: 'bundle.js is not loaded: several files cannot be imported together' } };
      try {
        return { bytes: window.rosterBundle.encode(data.files) };
      } catch (e) {
        return { error: { code: 'INVALID_ARGUMENT', message: e.message } };
      }
    }
    return { bytes: null };
  }
  function importCall(method, data, opts) {
    var c = csvArg(data);
    if (c.error) return { ok: false, error: c.error };
    return call(method, opts || {}, c.bytes);
  }

  // flush(): resolves once everything edited so far is durably in IndexedDB.
  var flushWaiters = [];
  Module.rosterOnSyncFinished = function (ok, revision, code, message) {
    var keep = [];
    flushWaiters.forEach(function (w) {
      if (!ok) {
        var e = new Error('Not saved: ' + message);
        e.code = code || 'STORAGE_ERROR';
        w.reject(e);
      } else if (revision >= w.revision) w.resolve(true);
      else keep.push(w);
    });
    flushWaiters = keep;
  };

  var api = {
    ready: ready,
    version: null,
    flush: function () {
      return new Promise(function (resolve, reject) {
        var r = call('requestSave', null);
        if (!r.ok) { var e = new Error(r.error.message); e.code = r.error.code; return reject(e); }
        if (r.clean) return resolve(true);
        flushWaiters.push({ revision: r.revision, resolve: resolve, reject: reject });
      });
    },
    stats: function () { return call('stats', null); },
    snapshot: function () { return call('snapshot', null); },
    command: function (cmd) { return call('command', cmd); },
    undo: function () { return call('undo', null) === true; },
    redo: function () { return call('redo', null) === true; },
    parseCsv: function (data) { var c = csvArg(data); return call('parseCsv', null, c.bytes); },
    // data: a file's text or bytes, or {files: [{name, data}]} for several files together.
    previewImport: function (data, opts) { return importCall('previewImport', data, opts); },
    applyImport: function (data, opts) { return importCall('applyImport', data, opts); },
    pendingImport: function () { return call('pendingImport', null); },
    confirmImport: function () { return call('confirmImport', null); },
    cancelImport: function () { return call('cancelImport', null); },
    exportCsv: function (opts) { var r = call('exportCsv', opts || {}); return (r && r.ok === false) ? r : r.csv; },
    export: function (opts) { return call('export', opts || {}); },
    // The rows the latest applied import left out (skipInvalidRows), as CSV with an Error column, or null.
    exportSkippedRows: function () { return call('exportSkippedRows', null); },
    query: function (filter) {
      // Answered as JSON text written directly by roster_query (no json node per matching id).
      var a = allocString(JSON.stringify(filter === undefined ? null : filter));
      try {
        var r = JSON.parse(UTF8ToString(Module.ccall('roster_query', 'number', ['number'], [a]) >>> 0));
        return (r && r.ok === false) ? r : r.ids;
      } finally { Module._free(a); }
    },
    lint: function () { return call('lint', null); },
    versions: function () { return call('versions', null); },
    suggestions: function () { return call('suggestions', null); },
    // Not part of the contract: UI helpers for tests and power users.
    ui: function (action) { return call('ui', action); },
  };
  window.roster = api;
})();
