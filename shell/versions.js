// Stored versions' chunk files live in their own IndexedDB database ("roster-versions"), outside the
// IDBFS mount, so start-up never reads them. Chunk files are immutable by name (a new save writes a
// new generation), so versions share unchanged chunks. A bounded cache in MEMFS (/vcache) makes
// restoring a version of this session (or a prefetched one) synchronous.
(function () {
  'use strict';
  var DB = 'roster-versions', STORE = 'chunks';
  var CACHE_DIR = '/vcache', CACHE_LIMIT = 128 * 1024 * 1024;
  var dbPromise = null;
  var known = null;          // Set of chunk names in IndexedDB
  var cached = [];           // [{name, size}] in MEMFS, oldest first
  var cachedBytes = 0;
  var captured = new Set();  // chunk names this session read for a version (stored, or being stored)
  var dirMade = false;

  function db() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }

  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction([STORE], mode);
        var out = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : undefined); };
        t.onerror = t.onabort = function () { reject(t.error || new Error('versions transaction failed')); };
      });
    });
  }

  function knownNames() {
    if (known) return Promise.resolve(known);
    return tx('readonly', function (s) { return s.getAllKeys(); }).then(function (keys) { known = new Set(keys || []); return known; });
  }

  function ensureDir() {
    if (dirMade) return;
    try { FS.mkdir(CACHE_DIR); } catch (e) { /* exists */ }
    dirMade = true;
  }

  function cachePut(name, bytes) {
    ensureDir();
    var path = CACHE_DIR + '/' + name;
    try { FS.stat(path); return; } catch (e) { /* not cached yet */ }
    FS.writeFile(path, bytes);
    cached.push({ name: name, size: bytes.length });
    cachedBytes += bytes.length;
    while (cachedBytes > CACHE_LIMIT && cached.length > 1) {
      var old = cached.shift();
      cachedBytes -= old.size;
      try { FS.unlink(CACHE_DIR + '/' + old.name); } catch (e) { /* gone */ }
    }
  }

  // Called by C++ right after the version's state was written to /data/roster: copy its chunks now
  // (the live folder will move on), then store the new ones in IndexedDB and drop unreferenced ones.
  function capture(files, keep) {
    var fresh = [];
    files.forEach(function (name) {
      // Names are immutable: a chunk already in IndexedDB is not read again (a version of a large
      // directory that one edit changed copies one chunk, not the whole directory's 50 MB).
      // `captured` answers at once where `known` waits for IndexedDB (imports in a row).
      if (captured.has(name) || (known && known.has(name))) return;
      var bytes;
      try { bytes = FS.readFile('/data/roster/' + name); } catch (e) { return; }
      cachePut(name, bytes);
      captured.add(name);
      fresh.push([name, bytes]);
    });
    return knownNames().then(function (k) {
      var toPut = fresh.filter(function (f) { return !k.has(f[0]); });
      var keepSet = new Set(keep);
      var toDelete = Array.from(k).filter(function (n) { return !keepSet.has(n); });
      return tx('readwrite', function (s) {
        toPut.forEach(function (f) { s.put(f[1], f[0]); });
        toDelete.forEach(function (n) { s.delete(n); });
      }).then(function () {
        toPut.forEach(function (f) { k.add(f[0]); });
        toDelete.forEach(function (n) { k.delete(n); captured.delete(n); });
      });
    }).catch(function (e) {
      fresh.forEach(function (f) { captured.delete(f[0]); });   // not stored: the next version reads them again
      console.warn('version not stored: ' + e);
    });
  }

  // Brings chunk files into the MEMFS cache (for a restore, or a prefetch after start-up).
  function fetch(files) {
    ensureDir();
    var missing = files.filter(function (n) {
      try { FS.stat('/data/roster/' + n); return false; } catch (e) { /* not live */ }
      try { FS.stat(CACHE_DIR + '/' + n); return false; } catch (e) { return true; }
    });
    if (!missing.length) return Promise.resolve(true);
    return tx('readonly', function (s) {
      var results = {};
      missing.forEach(function (n) { var r = s.get(n); r.onsuccess = function () { results[n] = r.result; }; });
      return { result: results };
    }).then(function (results) {
      var all = true;
      missing.forEach(function (n) { if (results && results[n]) cachePut(n, new Uint8Array(results[n])); else all = false; });
      return all;
    });
  }

  window.rosterVersions = { capture: capture, fetch: fetch };
})();
