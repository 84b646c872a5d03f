// Loader of the Roster page: loading indicator, Module configuration, service worker,
// clipboard and file drop. The API itself (window.roster) is defined by the module (post.js).
(function () {
  'use strict';
  var loading = document.getElementById('loading');
  var loadingText = document.getElementById('loading-text');
  var loadingBar = document.getElementById('loading-bar');
  var canvas = document.getElementById('canvas');

  // Unhandled promise rejections are logged with their origin (they are bugs to fix).
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    console.warn('unhandled rejection: ' + (r && (r.stack || r.message) || r));
  });

  // Roster never locks the pointer; Emscripten's GLFW would ask for it on cursor-mode changes.
  canvas.requestPointerLock = function () { return Promise.resolve(); };
  document.exitPointerLock = function () {};

  function showError(text) {
    loading.classList.remove('hidden');
    loading.classList.add('error');
    loadingText.textContent = text;
  }

  window.Module = {
    canvas: canvas,
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    setStatus: function (t) {
      if (!t) return;
      var m = t.match(/\((\d+(\.\d+)?)\/(\d+)\)/);
      if (m) loadingBar.style.width = (100 * parseFloat(m[1]) / parseFloat(m[3])).toFixed(0) + '%';
      loadingText.textContent = t.replace(/\(.*\)/, '').trim() || 'Loading…';
    },
    monitorRunDependencies: function (left) { if (left) loadingText.textContent = 'Opening your directory…'; },
    onAbort: function (what) { showError('Roster stopped unexpectedly: ' + what + '. Reload the page; your saved data is safe.'); },
    rosterHideLoading: function () { loading.classList.add('hidden'); },
    rosterLoadSample: function () { if (window.rosterFiles) window.rosterFiles.loadSample(); },
  };

  // Clipboard: Emscripten's GLFW has none. Copy goes through navigator.clipboard (library_roster.js);
  // paste arrives as a DOM event and is handed to C++ before ImGui reads it.
  document.addEventListener('paste', function (e) {
    var text = (e.clipboardData || window.clipboardData).getData('text');
    if (typeof text !== 'string' || !Module.rosterCall) return;
    Module.rosterClipboard = text;
    Module.rosterCall('paste', { text: text });
    e.preventDefault();
  });

  // Keys Roster handles itself must not also open the browser's dialogs (open file, find, save).
  window.addEventListener('keydown', function (e) {
    // Alt+1 … Alt+7 go to Roster's views (where the browser would switch tabs or menus with them).
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-7]$/.test(e.code || '')) { e.preventDefault(); return; }
    if (!(e.ctrlKey || e.metaKey)) return;
    var k = (e.key || '').toLowerCase();
    if (k === 'o' || k === 'f' || k === 's' || k === 'p' || k === 'a' || (e.shiftKey && k === 'e')) e.preventDefault();
  }, true);

  // Drop files anywhere on the page: a visible target while dragging, bytes handed to C++.
  var dropTarget = document.getElementById('drop-target');
  var dragDepth = 0;
  function hasFiles(e) { return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0; }
  window.addEventListener('dragenter', function (e) { if (!hasFiles(e)) return; e.preventDefault(); dragDepth++; dropTarget.classList.add('active'); });
  window.addEventListener('dragover', function (e) { if (!hasFiles(e)) return; e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; dropTarget.classList.add('active'); });
  window.addEventListener('dragleave', function (e) { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) dropTarget.classList.remove('active'); });
  window.addEventListener('drop', function (e) {
    e.preventDefault();
    dragDepth = 0;
    dropTarget.classList.remove('active');
    // Several files dropped at once are one import (files.js openFiles).
    var files = e.dataTransfer && e.dataTransfer.files;
    if (files && files.length && window.rosterFiles) window.rosterFiles.openFiles(files, 'drop');
  });

  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(function (e) { console.warn('service worker not registered', e); });
  }

  if (typeof WebAssembly !== 'object') { showError('This browser has no WebAssembly: Roster cannot run here.'); return; }
  // The module is loaded once every script of the page has run: tabs.js and versions.js add their
  // preRun steps (the tab's role, the versions' store) to Module, and a module that came from the
  // cache could otherwise run before them (a second tab then started with no role decided and
  // edited next to the first).
  function loadModule() {
    var s = document.createElement('script');
    s.src = 'roster.js';
    s.onerror = function () { showError('Could not load roster.js. Are you offline on a first visit?'); };
    document.body.appendChild(s);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', loadModule);
  else loadModule();
})();
