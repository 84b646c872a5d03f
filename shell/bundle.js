// Several files as the bytes of one import (a "bundle"), and zip files in and out of the page.
// Used by files.js and app.js (dropped and picked files) and by post.js (window.roster's
// previewImport/applyImport({files: [...]})), so it is loaded by index.html before them.
//
// The bundle encoding, which the core reads at every import entry point: the 12 bytes
// "\0RSTR-FILES\n", then for each file: u32 little-endian byte length of the name, the name in UTF-8,
// u32 little-endian byte length of the data, the data.
// Zips are made and read with fflate (npm, copied into the site as fflate.js; synchronous calls
// only: its asynchronous ones start workers from blob: URLs, which the page's CSP refuses).
(function () {
  'use strict';
  var MAGIC = new Uint8Array([0, 0x52, 0x53, 0x54, 0x52, 0x2d, 0x46, 0x49, 0x4c, 0x45, 0x53, 0x0a]);   // \0RSTR-FILES\n
  var MAX_BYTES = 1.5 * 1024 * 1024 * 1024;   // as files.js: more is refused before it is unpacked

  // A file's data as bytes: a string (UTF-8), a Uint8Array, an ArrayBuffer or another view; null else.
  function toBytes(data) {
    if (typeof data === 'string') return new TextEncoder().encode(data);
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return null;
  }

  // [{name, data}] -> the bundle's bytes. Throws a TypeError naming the first file that is not
  // {name: string, data: string | Uint8Array | ArrayBuffer}.
  function encode(files) {
    if (!Array.isArray(files)) throw new TypeError('files must be an array of {name, data}');
    var enc = new TextEncoder(), parts = [], total = MAGIC.length;
    files.forEach(function (f, i) {
      if (!f || typeof f.name !== 'string') throw new TypeError('files[' + i + '].name must be a string');
      var data = toBytes(f.data);
      if (!data) throw new TypeError('files[' + i + '].data (' + f.name + ') must be a string, a Uint8Array or an ArrayBuffer');
      var name = enc.encode(f.name);
      parts.push(name, data);
      total += 8 + name.length + data.length;
    });
    if (total > 0xffffffff) throw new RangeError('the files are too large to import together');
    var out = new Uint8Array(total), view = new DataView(out.buffer), at = MAGIC.length;
    out.set(MAGIC, 0);
    for (var i = 0; i < parts.length; i++) {
      view.setUint32(at, parts[i].length, true);
      out.set(parts[i], at + 4);
      at += 4 + parts[i].length;
    }
    return out;
  }

  function isBundle(bytes) {
    if (!bytes || bytes.length < MAGIC.length) return false;
    for (var i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
    return true;
  }

  // The bundle's bytes -> [{name, data: Uint8Array}] (views into `bytes`); null when it is not a
  // well-formed bundle.
  function decode(bytes) {
    if (!isBundle(bytes)) return null;
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at = MAGIC.length, out = [];
    var dec = new TextDecoder();
    while (at < bytes.length) {
      if (at + 4 > bytes.length) return null;
      var nn = view.getUint32(at, true);
      if (at + 4 + nn + 4 > bytes.length) return null;
      var name = dec.decode(bytes.subarray(at + 4, at + 4 + nn));
      at += 4 + nn;
      var dn = view.getUint32(at, true);
      if (at + 4 + dn > bytes.length) return null;
      out.push({ name: name, data: bytes.subarray(at + 4, at + 4 + dn) });
      at += 4 + dn;
    }
    return out;
  }

  // A zip file, by its name or its first bytes (PK\3\4; an empty zip starts with PK\5\6).
  function isZip(name, bytes) {
    if (/\.zip$/i.test(name || '')) return true;
    return !!bytes && bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b &&
      ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
  }

  function baseName(path) { return path.slice(path.lastIndexOf('/') + 1); }

  // Which entries of a zip are files to import: not directories, nothing under __MACOSX/, no
  // dotfiles or dot-folders (.DS_Store, .git/...) but a .mailmap.
  function wanted(path) {
    if (!path || /\/$/.test(path)) return false;
    var parts = path.split('/');
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (p === '__MACOSX') return false;
      if (p.charAt(0) === '.' && !(i === parts.length - 1 && p === '.mailmap')) return false;
    }
    return true;
  }

  function fflate() {
    if (!window.fflate || typeof window.fflate.unzipSync !== 'function') throw new Error('the zip library (fflate.js) is not loaded');
    return window.fflate;
  }

  // A zip's files to import, in the zip's order: [{name, data: Uint8Array}], named by their base
  // name (their path in the zip when two share a base name). Throws when it is not a readable zip
  // or it would unpack to more than MAX_BYTES.
  function unzip(bytes) {
    var total = 0;
    var files = fflate().unzipSync(bytes, {
      filter: function (f) {
        if (!wanted(f.name)) return false;
        total += f.originalSize;
        if (total > MAX_BYTES) throw new RangeError('its files are larger than ' + (MAX_BYTES / 1048576).toFixed(0) + ' MB unpacked');
        return true;
      },
    });
    var paths = Object.keys(files), seen = {};
    paths.forEach(function (p) { var b = baseName(p); seen[b] = (seen[b] || 0) + 1; });
    return paths.map(function (p) { var b = baseName(p); return { name: seen[b] > 1 ? p : b, data: files[p] }; });
  }

  // [{name, text | data}] -> the bytes of a zip of them (deflated; text as UTF-8).
  function zip(files) {
    var entries = {};
    files.forEach(function (f) { entries[f.name] = [toBytes(f.text !== undefined ? f.text : f.data), { level: 6 }]; });
    return fflate().zipSync(entries);
  }

  window.rosterBundle = { MAGIC: MAGIC, encode: encode, decode: decode, isBundle: isBundle, isZip: isZip, unzip: unzip, zip: zip, toBytes: toBytes };
})();
