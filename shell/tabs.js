// Two tabs, one directory: the tab holding the Web Lock edits; the others are read-only, follow
// its saves, and can take over (the holder saves, then hands the lock over). Also asks the browser
// for persistent storage and reports the storage estimate.
(function () {
  'use strict';
  var LOCK = 'roster-directory';
  var chan = typeof BroadcastChannel === 'function' ? new BroadcastChannel('roster-tabs') : null;
  var release = null;          // resolves the held lock
  var role = 'unknown';
  var tabId = Math.random().toString(36).slice(2);

  function call(method, arg) { return Module.rosterCall ? Module.rosterCall(method, arg) : null; }

  function setRole(r, reason) {
    role = r;
    call('setEditor', { editor: r === 'editor', reason: reason || '' });
  }

  // Reload the directory from IndexedDB (after another tab saved, or before taking over).
  function reloadFromStorage() {
    return new Promise(function (resolve) {
      FS.syncfs(true, function (err) {
        call('reloadStorage', { error: err ? String(err.message || err) : '' });
        resolve();
      });
    });
  }

  function hold(lock) {
    if (!lock) return null;
    return new Promise(function (resolve) { release = resolve; });
  }

  function acquire(opts) {
    if (!navigator.locks) return Promise.resolve(true);
    return new Promise(function (resolve) {
      navigator.locks.request(LOCK, opts, function (lock) {
        resolve(!!lock);
        return hold(lock);
      }).catch(function () {
        // Our lock was stolen by another tab: become read-only.
        release = null;
        setRole('reader', 'Another tab took over editing.');
      });
    });
  }

  // Called before main(): decide the role so roster.ready implies it is known.
  Module.preRun = Module.preRun || [];
  Module.preRun.push(function rosterDecideRole() {
    if (!navigator.locks) { role = 'editor'; return; }
    addRunDependency('roster-lock');
    acquire({ ifAvailable: true }).then(function (got) {
      role = got ? 'editor' : 'reader';
      removeRunDependency('roster-lock');
    });
  });
  Module.rosterInitialRole = function () { return role; };

  // Take over from the tab that edits: it saves and hands over; steal if it does not answer.
  function takeOver() {
    if (role === 'editor') return Promise.resolve(true);
    var done = false;
    var granted = acquire({}).then(function (got) { done = true; return got; });
    if (chan) chan.postMessage({ type: 'release-request', from: tabId });
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 5000); }).then(function () {
      if (done) return true;
      return acquire({ steal: true });
    });
    return Promise.race([granted, timeout]).then(function () { return reloadFromStorage(); }).then(function () {
      setRole('editor');
      return true;
    });
  }

  function handOver() {
    if (role !== 'editor' || !release) return;
    var r = release;
    var finish = function () {
      setRole('reader', 'Another tab took over editing.');
      release = null;
      r();
    };
    window.roster.flush().then(finish, finish);
  }

  if (chan) {
    chan.onmessage = function (e) {
      var m = e.data || {};
      if (m.from === tabId) return;
      if (m.type === 'release-request') handOver();
      if (m.type === 'saved' && role === 'reader') reloadFromStorage();
    };
  }
  Module.rosterOnSaved = function () { if (chan && role === 'editor') chan.postMessage({ type: 'saved', from: tabId }); };

  // Persistent storage and the usage estimate, shown in File > Storage.
  function storageInfo() {
    var info = { persisted: null, usage: null, quota: null, locks: !!navigator.locks };
    var s = navigator.storage;
    if (!s) return Promise.resolve(info);
    function safe(fn, fallback) {
      try { return Promise.resolve(fn()).catch(function () { return fallback; }); } catch (e) { return Promise.resolve(fallback); }
    }
    return Promise.all([
      s.persisted ? safe(function () { return s.persisted(); }, null) : null,
      s.estimate ? safe(function () { return s.estimate(); }, {}) : {},
    ]).then(function (r) {
      info.persisted = r[0];
      info.usage = r[1] && r[1].usage != null ? r[1].usage : null;
      info.quota = r[1] && r[1].quota != null ? r[1].quota : null;
      call('storageInfo', info);
      return info;
    });
  }
  function askPersist() {
    if (!navigator.storage || !navigator.storage.persist) return storageInfo();
    var p;
    try { p = Promise.resolve(navigator.storage.persist()); } catch (e) { p = Promise.resolve(false); }
    return p.catch(function () { return false; }).then(storageInfo);
  }
  window.rosterTabs = { takeOver: takeOver, role: function () { return role; }, reload: reloadFromStorage, storageInfo: storageInfo, askPersist: askPersist };
})();
