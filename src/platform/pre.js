// Runs before the module starts: mount IndexedDB (IDBFS) at /data and load it before main().
// Also hardens IDBFS.reconcile (Emscripten 3.1.6): an aborted transaction (how a quota error
// arrives) must report an error instead of never calling back.
var Module = typeof Module !== 'undefined' ? Module : {};
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
  var timer = setTimeout(function () {
    if (settled) return;
    settled = true;
    Module.rosterStorageError = { code: 'STORAGE_TIMEOUT', message: 'IndexedDB did not answer within 20 s' };
    removeRunDependency('roster-idbfs');
  }, 20000);
  FS.syncfs(true, function (err) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (err) Module.rosterStorageError = { code: 'STORAGE_UNAVAILABLE', message: 'IndexedDB could not be read: ' + (err && (err.message || err.name) || err) };
    removeRunDependency('roster-idbfs');
  });
});

function rosterPatchIdbfs() {
  IDBFS.reconcile = function (src, dst, callback) {
    var create = [], remove = [];
    Object.keys(src.entries).forEach(function (key) {
      var e = src.entries[key], e2 = dst.entries[key];
      if (!e2 || e['timestamp'].getTime() != e2['timestamp'].getTime()) create.push(key);
    });
    Object.keys(dst.entries).forEach(function (key) { if (!src.entries[key]) remove.push(key); });
    if (!create.length && !remove.length) return callback(null);
    var finished = false;
    function finish(err) { if (finished) return; finished = true; callback(err || null); }
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
