// Files in and out of the page: the open picker (File System Access API where the browser has it,
// else a hidden <input type=file>), saving (showSaveFilePicker, else a download), the sample.
(function () {
  'use strict';
  var MAX_BYTES = 1.5 * 1024 * 1024 * 1024;   // larger files are refused before reading (FILE_TOO_LARGE)

  function notify(kind, arg) {
    if (!Module.rosterCall) return null;
    return Module.rosterCall(kind, arg.meta || {}, arg.bytes || null);
  }

  function openFile(file, source) {
    if (file.size > MAX_BYTES) {
      notify('fileRefused', { meta: { name: file.name, size: file.size, code: 'FILE_TOO_LARGE',
        message: file.name + ' is ' + (file.size / 1048576).toFixed(0) + ' MB: Roster reads files up to ' + (MAX_BYTES / 1048576).toFixed(0) + ' MB' } });
      return Promise.resolve(false);
    }
    return file.arrayBuffer().then(function (buf) {
      notify('openedFile', { meta: { name: file.name, size: file.size, source: source }, bytes: new Uint8Array(buf) });
      return true;
    });
  }

  var input = null;
  function pickWithInput() {
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.accept = '.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain';
      input.style.display = 'none';
      document.body.appendChild(input);
      input.addEventListener('change', function () {
        var f = input.files && input.files[0];
        input.value = '';
        if (f) openFile(f, 'picker');
      });
      input.addEventListener('cancel', function () { input.value = ''; });
    }
    input.click();
  }

  function openPicker() {
    if (typeof window.showOpenFilePicker === 'function') {
      window.showOpenFilePicker({ types: [{ description: 'CSV files', accept: { 'text/csv': ['.csv', '.tsv', '.txt'] } }], multiple: false })
        .then(function (handles) { return handles[0].getFile(); })
        .then(function (f) { return openFile(f, 'picker'); })
        .catch(function (e) { if (e && e.name !== 'AbortError') pickWithInput(); });
    } else {
      pickWithInput();
    }
  }

  function download(name, bytes) {
    var url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv;charset=utf-8' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function saveFile(name, bytes) {
    if (typeof window.showSaveFilePicker === 'function') {
      window.showSaveFilePicker({ suggestedName: name, types: [{ description: 'CSV file', accept: { 'text/csv': ['.csv'] } }] })
        .then(function (h) { return h.createWritable().then(function (w) { return w.write(bytes).then(function () { return w.close(); }); }); })
        .catch(function (e) { if (e && e.name !== 'AbortError') download(name, bytes); });
    } else {
      download(name, bytes);
    }
  }

  function loadSample() {
    return fetch('assets/sei-users.csv').then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      return Module.rosterCall('loadSample', {}, new Uint8Array(buf));
    }).catch(function (e) {
      Module.rosterCall('fileRefused', { code: 'SAMPLE_UNAVAILABLE', message: 'The sample could not be loaded: ' + e.message });
    });
  }

  window.rosterFiles = { openFile: openFile, openPicker: openPicker, saveFile: saveFile, loadSample: loadSample };
  window.Module = window.Module || {};
})();
