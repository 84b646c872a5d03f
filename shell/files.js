// Files in and out of the page: the open picker (File System Access API where the browser has it,
// else a hidden <input type=file>; several files or a .zip as one import), saving (showSaveFilePicker,
// else a download; several files as one .zip), the sample.
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

  // Several files picked or dropped at once, or a .zip, are opened as one import: their bytes as a
  // bundle (bundle.js), named like "users.csv + teams.csv" (a zip's: "org.zip: users.csv + teams.csv").
  // One file that is not a zip goes as before (streamed in when large); so does a zip holding one file.
  function refuse(code, message) {
    notify('fileRefused', { meta: { code: code, message: message } });
    return false;
  }

  function openFiles(list, source) {
    var files = Array.prototype.slice.call(list || []);
    if (!files.length) return Promise.resolve(false);
    if (files.length === 1 && !window.rosterBundle.isZip(files[0].name)) {
      // A zip by its first bytes too (a download saved without its extension).
      return files[0].slice(0, 4).arrayBuffer().then(function (head) {
        if (window.rosterBundle.isZip('', new Uint8Array(head))) return openTogether(files, source);
        return openFile(files[0], source);
      }, function () { return openFile(files[0], source); });
    }
    return openTogether(files, source);
  }

  function openTogether(files, source) {
    var size = files.reduce(function (n, f) { return n + f.size; }, 0);
    var names = files.map(function (f) { return f.name; }).join(' + ');
    if (size > MAX_BYTES)
      return Promise.resolve(refuse('FILE_TOO_LARGE', names + ' are ' + (size / 1048576).toFixed(0) + ' MB together: Roster reads up to ' + (MAX_BYTES / 1048576).toFixed(0) + ' MB'));
    return Promise.all(files.map(function (f) { return f.arrayBuffer(); })).then(function (bufs) {
      var parts = [], zips = [];
      for (var i = 0; i < files.length; i++) {
        var bytes = new Uint8Array(bufs[i]);
        if (!window.rosterBundle.isZip(files[i].name, bytes)) { parts.push({ name: files[i].name, data: bytes }); continue; }
        var inside;
        try {
          inside = window.rosterBundle.unzip(bytes);
        } catch (e) {
          return refuse('FILE_UNREADABLE', files[i].name + ' could not be unpacked: ' + (e.message || e));
        }
        zips.push(files[i].name);
        parts = parts.concat(inside);
      }
      if (!parts.length) return refuse('FILE_UNREADABLE', names + ': no files to import in ' + (zips.length > 1 ? 'these zips' : 'this zip'));
      var name = parts.map(function (p) { return p.name; }).join(' + ');
      if (zips.length === 1 && files.length === 1) name = zips[0] + ': ' + name;
      if (parts.length === 1) name = parts[0].name;
      var payload;
      try {
        payload = parts.length === 1 ? parts[0].data : window.rosterBundle.encode(parts);
      } catch (e) {
        return refuse('FILE_TOO_LARGE', names + ': ' + (e.message || e));
      }
      notify('openedFile', { meta: { name: name, size: payload.length, source: source, files: parts.length }, bytes: payload });
      return true;
    }, function (e) {
      return refuse('FILE_UNREADABLE', names + ' could not be read: ' + (e && e.message || e));
    });
  }

  var input = null;
  function pickWithInput() {
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.accept = '.csv,.tsv,.txt,.json,.mailmap,.zip,text/csv,text/tab-separated-values,text/plain,application/json,application/zip';
      input.multiple = true;
      input.style.display = 'none';
      document.body.appendChild(input);
      input.addEventListener('change', function () {
        var files = Array.prototype.slice.call(input.files || []);
        input.value = '';
        if (files.length) openFiles(files, 'picker');
      });
      input.addEventListener('cancel', function () { input.value = ''; });
    }
    input.click();
  }

  // A browser driven by automation (navigator.webdriver: Playwright, WebDriver) gets the <input
  // type=file> and the download: its driver sees those (Playwright's 'filechooser' and 'download'
  // events) and not the File System Access pickers, which in headless Chromium never answer.
  var automated = typeof navigator !== 'undefined' && navigator.webdriver === true;

  function openPicker() {
    if (typeof window.showOpenFilePicker === 'function' && !automated) {
      window.showOpenFilePicker({ types: [{ description: 'CSV, JSON, .mailmap or .zip files',
        accept: { 'text/csv': ['.csv', '.tsv', '.txt'], 'application/json': ['.json'], 'text/plain': ['.mailmap'], 'application/zip': ['.zip'] } }], multiple: true })
        .then(function (handles) { return Promise.all(handles.map(function (h) { return h.getFile(); })); })
        .then(function (files) { return openFiles(files, 'picker'); })
        .catch(function (e) { if (e && e.name !== 'AbortError') pickWithInput(); });
    } else {
      pickWithInput();
    }
  }

  // What a saved file is, by its name: the download's MIME type and the save picker's file type.
  function fileType(name) {
    var ext = (/\.[^./]+$/.exec(name) || [''])[0].toLowerCase();
    if (ext === '.zip') return { mime: 'application/zip', description: 'Zip file', ext: ext };
    if (ext === '.json') return { mime: 'application/json', description: 'JSON file', ext: ext };
    if (ext === '.csv') return { mime: 'text/csv', description: 'CSV file', ext: ext };
    if (ext === '.txt' || ext === '.tsv') return { mime: 'text/plain', description: 'Text file', ext: ext };
    // Others (.mailmap) as bytes: a text/plain download would gain a ".txt".
    return { mime: 'application/octet-stream', description: 'File', ext: ext };
  }

  function download(name, bytes) {
    var t = fileType(name);
    var url = URL.createObjectURL(new Blob([bytes], { type: t.mime + (/^text\//.test(t.mime) ? ';charset=utf-8' : '') }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function saveFile(name, bytes) {
    var t = fileType(name);
    if (typeof window.showSaveFilePicker === 'function' && !automated) {
      var accept = {};
      if (t.ext) accept[t.mime] = [t.ext];
      window.showSaveFilePicker({ suggestedName: name, types: t.ext ? [{ description: t.description, accept: accept }] : undefined })
        .then(function (h) { return h.createWritable().then(function (w) { return w.write(bytes).then(function () { return w.close(); }); }); })
        .catch(function (e) { if (e && e.name !== 'AbortError') download(name, bytes); });
    } else {
      download(name, bytes);
    }
  }

  // Several files saved as one zip (an export format of several files): [{name, text | data}].
  function saveZip(zipName, files) {
    var bytes;
    try {
      bytes = window.rosterBundle.zip(files);
    } catch (e) {
      notify('fileRefused', { meta: { code: 'EXPORT_FAILED', message: zipName + ' could not be made: ' + (e.message || e) } });
      return false;
    }
    saveFile(zipName, bytes);
    return true;
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

  window.rosterFiles = { openFile: openFile, openFiles: openFiles, openPicker: openPicker, saveFile: saveFile, saveZip: saveZip, loadSample: loadSample };
  window.Module = window.Module || {};
})();
