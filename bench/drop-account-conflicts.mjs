#!/usr/bin/env node
// Bench-only workaround (scripts/bench --drop-account-conflicts): Roster compares account ids
// ASCII-case-insensitively and refuses a file that gives one account to two owners
// (ACCOUNT_CONFLICT), while scripts/gen-sei-csv.mjs writes unassigned Harness accounts that are a
// person's account in other case (e.g. "Ada.King@x.com" unassigned, "ada.king@x.com" held). This
// copies the CSV without those unassigned rows and writes a generator-style summary whose
// unassigned count is lowered by the number of rows dropped, so the import can be measured.
//
//   node bench/drop-account-conflicts.mjs IN.csv IN.gen.txt OUT.csv OUT.gen.txt
import fs from 'node:fs';

const [inCsv, inGen, outCsv, outGen] = process.argv.slice(2);
if (!outGen) { console.error('usage: drop-account-conflicts.mjs IN.csv IN.gen.txt OUT.csv OUT.gen.txt'); process.exit(2); }

// RFC 4180 fields of one physical line (the generator never puts a line break inside a field).
function split(line) {
  const out = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0) throw new Error('unterminated quote (a field with a line break?)');
        v += line.slice(i, j);
        if (line[j + 1] === '"') { v += '"'; i = j + 2; } else { i = j + 1; break; }
      }
      out.push(v);
    } else {
      const j = line.indexOf(',', i);
      out.push(j < 0 ? line.slice(i) : line.slice(i, j));
      i = j < 0 ? line.length : j;
    }
    if (i >= line.length) break;
    i++; // the comma
    if (i === line.length) { out.push(''); break; }
  }
  return out;
}

const text = fs.readFileSync(inCsv, 'utf8');
const lines = text.split('\r\n');
if (lines[lines.length - 1] === '') lines.pop();
const header = split(lines[0]);
const emailCol = header.findIndex((h) => h.trim().toLowerCase() === 'email');
const integCols = header.map((h, i) => (/^integration:/i.test(h.trim()) ? i : -1)).filter((i) => i >= 0);
const lowerAscii = (s) => s.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());

// Pass 1: owner of each folded account (by email, case-folded) from the rows that have an email.
const owner = new Map();
let personConflicts = 0;
for (let n = 1; n < lines.length; n++) {
  const f = split(lines[n]);
  const email = (f[emailCol] || '').trim().toLowerCase();
  if (!email) continue;
  for (const c of integCols) {
    const acc = f[c] || '';
    if (!acc.trim()) continue;
    const key = c + '\u0000' + lowerAscii(acc);
    const o = owner.get(key);
    if (o === undefined) owner.set(key, email);
    else if (o !== email) personConflicts++;
  }
}
if (personConflicts) { console.error(`drop-account-conflicts: ${personConflicts} accounts held by two people: cannot fix by dropping unassigned rows`); process.exit(1); }

// Pass 2: drop the blank-email rows holding an account that a person holds (case-insensitively).
const kept = [lines[0]];
let dropped = 0;
for (let n = 1; n < lines.length; n++) {
  const f = split(lines[n]);
  if (!(f[emailCol] || '').trim() && integCols.some((c) => (f[c] || '').trim() && owner.has(c + '\u0000' + lowerAscii(f[c])))) { dropped++; continue; }
  kept.push(lines[n]);
}
fs.writeFileSync(outCsv + '.tmp', kept.join('\r\n') + '\r\n');
fs.renameSync(outCsv + '.tmp', outCsv);

const gen = fs.readFileSync(inGen, 'utf8');
const m = /rows=(\d+) people=(\d+) unassigned=(\d+)/.exec(gen);
if (!m) { console.error(`drop-account-conflicts: no counts in ${inGen}`); process.exit(1); }
const summary = `gen-sei-csv: rows=${m[1]} people=${m[2]} unassigned=${Number(m[3]) - dropped} ` +
  `(bench --drop-account-conflicts: ${dropped} unassigned rows dropped from ${Number(m[3])}; data rows in file ${kept.length - 1})\n`;
fs.writeFileSync(outGen, summary);
process.stderr.write(summary);
