// Files in and out of the page: the open picker (File System Access API where the browser has it,
// else a hidden <input type=file>), saving (showSaveFilePicker, else a download), the sample.
(function () {
  'use strict';
  var MAX_BYTES = 1.5 * 1024 * 1024 * 1024;   // larger files are refused before reading (FILE_TOO_LARGE)

  function notify(kind, arg) {
    if (!Module.rosterCall) return null;
    return Module.rosterCall(kind, arg.meta || {}, arg.bytes || null);
  }

  var STREAM_MIN = 4 * 1024 * 1024;   // from this size a file is streamed in (see streamFile)
  var streaming = null;                // the name of the file being streamed in

  function openFile(file, source) {
    if (file.size > MAX_BYTES) {
      notify('fileRefused', { meta: { name: file.name, size: file.size, code: 'FILE_TOO_LARGE',
        message: file.name + ' is ' + (file.size / 1048576).toFixed(0) + ' MB: Roster reads files up to ' + (MAX_BYTES / 1048576).toFixed(0) + ' MB' } });
      return Promise.resolve(false);
    }
    if (file.size >= STREAM_MIN && typeof file.stream === 'function' && Module.rosterStreamAlloc) return streamFile(file, source);
    return file.arrayBuffer().then(function (buf) {
      notify('openedFile', { meta: { name: file.name, size: file.size, source: source }, bytes: new Uint8Array(buf) });
      return true;
    });
  }

  // A large file goes into the WASM heap a slice per frame while the browser reads it: the page
  // keeps drawing (copying 160 MB of fresh memory at once took about a second of one frame), there
  // is no second copy of the whole file in JavaScript, and the toast says how far it is. The copy is
  // done in animation frames with a budget like the app's jobs (8 ms, up to half of a slow frame,
  // at most 50 ms), in pieces of 512 KB; reading stops while 16 MB wait to be copied. C++ takes
  // the buffer over with "openedFile" {streamed: true}.
  var PIECE = 512 * 1024, MAX_QUEUED = 16 * 1024 * 1024;
  function streamFile(file, source) {
    if (streaming) {
      notify('fileRefused', { meta: { code: 'BUSY', message: file.name + ' was not opened: ' + streaming + ' is still being opened' } });
      return Promise.resolve(false);
    }
    var n = file.size;
    var p = Module.rosterStreamAlloc(n);
    if (!p) {
      notify('fileRefused', { meta: { code: 'OUT_OF_MEMORY', message: 'Not enough memory to open ' + file.name + ' (' + (n / 1048576).toFixed(0) + ' MB)' } });
      return Promise.resolve(false);
    }
    streaming = file.name;
    var reader = file.stream().getReader();
    var queue = [], head = 0, queued = 0, reading = false, readDone = false, failed = null;
    var off = 0, lastNote = 0, lastFrame = 0, frameGap = 16;
    function readMore() {
      if (reading || readDone || failed || queued >= MAX_QUEUED) return;
      reading = true;
      reader.read().then(function (r) {
        reading = false;
        if (r.done) readDone = true;
        else { queue.push(r.value); queued += r.value.length; readMore(); }
      }, function (e) { reading = false; failed = e || new Error('read failed'); });
    }
    return new Promise(function (resolve) {
      function finish(err) {
        streaming = null;
        if (err) {
          reader.cancel().catch(function () {});
          Module.rosterStreamRelease();
          notify('fileRefused', { meta: { code: 'FILE_UNREADABLE', message: file.name + ' could not be read: ' + (err.message || err) } });
          return resolve(false);
        }
        notify('openedFile', { meta: { name: file.name, size: n, source: source, streamed: true } });
        resolve(true);
      }
      function frame(ts) {
        if (lastFrame) frameGap = ts - lastFrame;
        lastFrame = ts;
        var budget = Math.min(50, Math.max(8, frameGap / 2)), t0 = performance.now();
        try {
          while (queue.length && performance.now() - t0 < budget) {
            var chunk = queue[0], end = Math.min(chunk.length, head + PIECE);
            if (off + (end - head) > n) throw new Error('the file changed while it was read');
            Module.rosterStreamWrite(p, off, chunk.subarray(head, end));
            off += end - head;
            queued -= end - head;
            head = end;
            if (head === chunk.length) { queue.shift(); head = 0; }
          }
        } catch (e) { failed = e; }
        readMore();
        if (failed) return finish(failed);
        if (readDone && !queue.length) return finish(off === n ? null : new Error('read ' + off + ' of ' + n + ' bytes'));
        if (ts - lastNote > 150) {
          lastNote = ts;
          notify('fileProgress', { meta: { name: file.name, done: off, total: n } });
        }
        requestAnimationFrame(frame);
      }
      readMore();
      requestAnimationFrame(frame);
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
