#!/usr/bin/env node
// Deterministic generator of a realistic Harness SEI "Export Users" CSV.
//
//   node scripts/gen-sei-csv.mjs --rows N [--seed S] [--out FILE]
//
// Writes N data rows (plus the header) to FILE, or to stdout without --out.
// The same seed always gives the same bytes. Only node built-ins are used.
//
// Shape of the file (what SEI's exporter writes):
//   * header `Full_Name,Email,Team_name,Designation,Location,Start_date,
//     Manager_email,Integration: Github,Integration: Jira,
//     Integration: PagerDuty,Integration: Harness`, CRLF line ends,
//     RFC 4180 quoting, no BOM;
//   * one row per person, in person order; a person holding a second account
//     in an integration gets a second, adjacent row repeating name, email and
//     attributes and holding only the extra account(s);
//   * unassigned accounts (blank Email, display name in Full_Name, one
//     integration cell) at the end, bots included;
//   * managers form a per-team tree (no cycles), every Manager_email is the
//     email of a person in the file, the top director of each team has none;
//   * identity-hygiene cases: GitHub-noreply emails whose login belongs to
//     another record, same name with two emails at one domain, names that
//     differ only by accents or case.

import fs from 'node:fs';

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`gen-sei-csv: ${msg}\n`);
  process.stderr.write('usage: node scripts/gen-sei-csv.mjs --rows N [--seed S] [--out FILE]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { rows: null, seed: 42, out: null };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v = null;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const take = () => {
      if (v !== null) return v;
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--rows': case '-n': opts.rows = take(); break;
      case '--seed': case '-s': opts.seed = take(); break;
      case '--out': case '-o': opts.out = take(); break;
      case '--help': case '-h': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (opts.rows === null) usage('--rows is required');
  if (!/^\d+$/.test(String(opts.rows))) usage('--rows must be a non-negative integer');
  opts.rows = Number(opts.rows);
  if (!Number.isSafeInteger(opts.rows)) usage('--rows is too large');
  const s = String(opts.seed);
  if (/^-?\d+$/.test(s)) {
    opts.seed = Number(BigInt.asUintN(32, BigInt(s)));
  } else { // any other string: FNV-1a hash
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    opts.seed = h >>> 0;
  }
  return opts;
}

// ------------------------------------------------------------------ PRNG

// mulberry32: small, fast, good enough for test data.
let rngState = 0;
function seedRng(seed) { rngState = seed >>> 0; }
function u32() {
  rngState = (rngState + 0x6D2B79F5) | 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
const rand = () => u32() / 4294967296;
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const chance = (p) => rand() < p;

function weighted(items) { // [[value, weight], ...] -> () => value
  const vals = items.map((x) => x[0]);
  const cum = [];
  let s = 0;
  for (const [, w] of items) { s += w; cum.push(s); }
  return () => {
    const r = rand() * s;
    let i = 0;
    while (cum[i] <= r) i++;
    return vals[i];
  };
}

// ------------------------------------------------------------------ data

// Name pools by culture; most people take first and last name from the same
// culture, some mix.
const CULTURES = [
  { w: 26, first: ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
      'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel',
      'Emily', 'Matthew', 'Ada', 'Grace', 'Alan', 'Margaret', 'Pat', 'Chris', 'Sam', 'Alex', 'Taylor', 'Jordan',
      'Olivia', 'Ethan', 'Noah', 'Emma', 'Liam', 'Ava', 'Sophia', 'Rebecca', 'Kevin', 'Laura', 'Brian', 'Rachel',
      'Megan', 'Ryan', 'Hannah', 'Nathan', 'Claire', 'Zoë', 'Connor', 'Siobhan', 'Declan', 'Aoife'],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
      'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker',
      'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell',
      'Lovelace', 'Hopper', 'Turing', "O'Neil", "O'Brien", 'McDonald', 'Fitzgerald', 'Murphy', 'Kelly', 'Sullivan',
      'Bennett', 'Brooks', 'Hughes', 'Foster', 'Reed', 'Campbell', 'Stewart'] },
  { w: 12, first: ['José', 'María', 'Juan', 'Lucía', 'Álvaro', 'Sofía', 'Andrés', 'Inés', 'Raúl', 'Martín', 'Joaquín',
      'Camila', 'João', 'Gonçalo', 'Beatriz', 'Tomás', 'Ramón', 'Ángela', 'Mateo', 'Valentina', 'Diego', 'Carmen',
      'Pablo', 'Elena', 'Sergio', 'Isabel', 'Rafael', 'Mariana', 'Thiago', 'Fernanda'],
    last: ['Álvarez', 'García', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'González', 'Pérez', 'Sánchez',
      'Ramírez', 'Núñez', 'Ibáñez', 'Peña', 'Muñoz', 'Castillo', 'Gonçalves', 'Conceição', 'Araújo', 'Simões',
      'Magalhães', 'Ortiz', 'Romero', 'Silva', 'Santos', 'Oliveira', 'Costa', 'Ferreira', 'Vargas', 'Morales', 'Díaz'] },
  { w: 5, first: ['François', 'Élodie', 'Hélène', 'Léa', 'Amélie', 'Céline', 'Jérôme', 'Anaïs', 'Benoît', 'Chloé',
      'Noël', 'Camille', 'Julien', 'Manon', 'Mathieu', 'Margaux', 'Luc', 'Aurélie'],
    last: ['Dubois', 'Lefèvre', 'Girard', 'Bérubé', 'Côté', 'Lemaître', 'Fontaine', 'Moreau', 'Laurent', 'Roux',
      'Bernard', 'Petit', 'Durand', 'Leroy', 'Gagnon', 'Tremblay'] },
  { w: 7, first: ['Jürgen', 'Jörg', 'Lena', 'Björn', 'Søren', 'Åsa', 'Ingrid', 'Mats', 'Sigrún', 'Katrín', 'Max',
      'Annika', 'Lars', 'Maren', 'Ørjan', 'Lukas', 'Felix', 'Jonas', 'Sophie', 'Hanna', 'Henrik', 'Freya', 'Niklas',
      'Greta'],
    last: ['Müller', 'Schmidt', 'Schröder', 'Weiß', 'Bäcker', 'Köhler', 'Groß', 'Fischer', 'Hoffmann', 'Wagner',
      'Ørsted', 'Sørensen', 'Åberg', 'Nyström', 'Lindqvist', 'Jónsdóttir', 'Halvorsen', 'Becker', 'Schulz',
      'Neumann', 'Berg', 'Johansson', 'Eriksson', 'van der Berg', 'de Vries', 'Jansen'] },
  { w: 5, first: ['Łukasz', 'Paweł', 'Małgorzata', 'Zofia', 'Wojciech', 'Agnieszka', 'Jiří', 'Tomáš', 'Kateřina',
      'Grzegorz', 'Piotr', 'Anna', 'Marek', 'Ewa', 'Jakub', 'Dmitri', 'Olga', 'Sergei', 'Natalia', 'Oleksandr', 'Iryna'],
    last: ['Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Dvořák', 'Novák', 'Procházková',
      'Zieliński', 'Nowak', 'Szymański', 'Ivanov', 'Petrova', 'Smirnov', 'Kuznetsova', 'Shevchenko', 'Kovalenko'] },
  { w: 16, first: ['Aarav', 'Priya', 'Rahul', 'Ananya', 'Vikram', 'Deepika', 'Arjun', 'Kavya', 'Rohan', 'Sneha',
      'Aditya', 'Lakshmi', 'Sanjay', 'Meera', 'Karthik', 'Divya', 'Suresh', 'Pooja', 'Amit', 'Neha', 'Varun', 'Shreya',
      'Nikhil', 'Ishaan', 'Aishwarya', 'Harish'],
    last: ['Sharma', 'Patel', 'Gupta', 'Iyer', 'Reddy', 'Nair', 'Singh', 'Kumar', 'Mehta', 'Chatterjee', 'Banerjee',
      'Krishnan', 'Rao', 'Desai', 'Joshi', 'Menon', 'Pillai', 'Agarwal', 'Bose', 'Kulkarni', 'Subramanian', 'Verma'] },
  { w: 10, first: ['Wei', 'Li', 'Jing', 'Hao', 'Xiaoming', 'Mei', 'Jun', 'Yan', 'Lei', 'Fang', 'Haruto', 'Yui',
      'Sota', 'Aoi', 'Ren', 'Sakura', 'Takumi', 'Hina', 'Kenji', 'Yuki', 'Min-jun', 'Seo-yeon', 'Ji-ho', 'Ha-eun',
      'Do-hyun', 'Minh', 'Thảo', 'Huy', 'Linh'],
    last: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Sato', 'Suzuki', 'Takahashi',
      'Tanaka', 'Watanabe', 'Itō', 'Yamamoto', 'Nakamura', 'Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Nguyễn', 'Trần',
      'Phạm', 'Lin', 'Xu'] },
  { w: 6, first: ['Omar', 'Fatima', 'Ahmed', 'Layla', 'Yusuf', 'Aylin', 'Emre', 'Zeynep', 'Çağla', 'Şebnem', 'Karim',
      'Nour', 'Hassan', 'Amira', 'Tariq', 'Selin'],
    last: ['Haddad', 'Khalil', 'Hassan', 'Yılmaz', 'Öztürk', 'Şahin', 'Çelik', 'Al-Farsi', 'Mansour', 'Aziz',
      'Demir', 'Kaya', 'Nasser', 'Saleh'] },
  { w: 5, first: ['Chidi', 'Ngozi', 'Kwame', 'Amara', 'Tunde', 'Zainab', 'Sipho', 'Thandiwe', 'Kofi', 'Ama', 'Emeka',
      'Adaeze', 'Jabari', 'Nia'],
    last: ['Okafor', 'Mensah', 'Adeyemi', 'Nkosi', 'Diallo', 'Okonkwo', 'Boateng', 'Mwangi', 'Achebe', 'Dlamini',
      'Owusu', 'Balogun'] },
  { w: 4, first: ['Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Giorgos', 'Eleni', 'Nikos', 'Alessandro', 'Sofia'],
    last: ['Rossi', 'Bianchi', 'Esposito', 'Ricci', 'De Luca', 'Romano', 'Papadopoulos', 'Georgiou', 'Conti',
      'Colombo'] },
];

// Flatten the pools into global tables so a person stores two small indices.
const FIRSTS = [];
const LASTS = [];
const cultureFirst = [];
const cultureLast = [];
for (const c of CULTURES) {
  const fi = [], li = [];
  for (const f of c.first) { fi.push(FIRSTS.length); FIRSTS.push(f); }
  for (const l of c.last) { li.push(LASTS.length); LASTS.push(l); }
  cultureFirst.push(fi); cultureLast.push(li);
}

const NICKNAMES = { Robert: 'Bob', William: 'Bill', Elizabeth: 'Liz', Margaret: 'Peggy', Richard: 'Rick',
  Joseph: 'Joe', Michael: 'Mike', Thomas: 'Tom', Alexander: 'Sasha', Jennifer: 'Jen', Rebecca: 'Becky',
  Daniel: 'Danny', Patricia: 'Trish', Charles: 'Chuck' };

const TEAMS = ['Platform', 'Payments', 'Mobile', 'Data', 'Search', 'Growth', 'Infra', 'Security', 'Identity',
  'Checkout', 'ML', 'Developer Experience'];
const teamOf = weighted([[0, 12], [1, 9], [2, 10], [3, 9], [4, 6], [5, 7], [6, 10], [7, 6], [8, 5], [9, 6], [10, 7],
  [11, 5]]);

const DESIG = ['Engineer', 'Senior Engineer', 'Staff Engineer', 'Engineering Manager', 'Director', 'SRE',
  'QA Engineer', 'Product Manager'];
const D_ENG = 0, D_SENIOR = 1, D_STAFF = 2, D_EM = 3, D_DIR = 4, D_SRE = 5, D_QA = 6, D_PM = 7;
const leafDesigDefault = weighted([[D_ENG, 36], [D_SENIOR, 30], [D_STAFF, 8], [D_SRE, 4], [D_QA, 9], [D_PM, 7]]);
const leafDesigOps = weighted([[D_ENG, 28], [D_SENIOR, 26], [D_STAFF, 8], [D_SRE, 28], [D_QA, 4], [D_PM, 3]]);
const OPS_TEAMS = new Set([0, 6, 7]); // Platform, Infra, Security: more SREs

const LOCATIONS = ['San Francisco', 'New York', 'London', 'Berlin', 'Bangalore', 'Toronto', 'Austin, TX',
  'São Paulo', 'Kraków', 'Remote'];
const locationOf = weighted([[0, 20], [1, 14], [2, 14], [3, 8], [4, 15], [5, 7], [6, 6], [7, 5], [8, 5], [9, 8]]);

const DOMAIN = 'acme-corp.com';
const CONTRACTOR_DOMAIN = 'acme-contractors.com';

// Start dates: every day from 2011-01-03 to 2025-09-30, as strings.
const DATES = [];
for (let t = Date.UTC(2011, 0, 3); t <= Date.UTC(2025, 8, 30); t += 86400000) {
  DATES.push(new Date(t).toISOString().slice(0, 10));
}
// Skewed towards recent hires (the company grew).
const startDay = () => Math.floor(Math.sqrt(rand()) * DATES.length);

const BOTS = ['dependabot[bot]', 'renovate[bot]', 'jenkins-ci', 'release-bot', 'github-actions[bot]'];
const HANDLE_A = ['quiet', 'lazy', 'rusty', 'tiny', 'cosmic', 'null', 'async', 'brave', 'sleepy', 'pixel', 'hyper',
  'lucky', 'clever', 'dark', 'happy', 'silent', 'byte', 'neon', 'frozen', 'wild'];
const HANDLE_B = ['fox', 'otter', 'coder', 'panda', 'ninja', 'wizard', 'hacker', 'owl', 'badger', 'llama', 'yak',
  'wrangler', 'pointer', 'lambda', 'falcon', 'koala', 'gopher', 'crab', 'squirrel', 'moose'];

// ------------------------------------------------------------ name helpers

const foldCache = new Map();
const SPECIAL = { 'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'ß': 'ss', 'æ': 'ae', 'Æ': 'Ae', 'đ': 'd', 'Đ': 'D',
  'ı': 'i', 'œ': 'oe', 'Œ': 'Oe', 'þ': 'th', 'ð': 'd' };
function fold(s) { // strip accents, keep case: "José Álvarez" -> "Jose Alvarez"
  let r = foldCache.get(s);
  if (r === undefined) {
    r = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[łŁøØßæÆđĐıœŒþð]/g, (c) => SPECIAL[c]);
    foldCache.set(s, r);
  }
  return r;
}
const localCache = new Map();
function localPart(s) { // for emails: lower-case ASCII, keeps hyphens: "O'Neil" -> "oneil", "Min-jun" -> "min-jun"
  let r = localCache.get(s);
  if (r === undefined) {
    r = fold(s).toLowerCase().replace(/[^a-z0-9-]/g, '');
    localCache.set(s, r);
  }
  return r;
}
const alnumCache = new Map();
function alnum(s) { // for logins: "Min-jun" -> "minjun"
  let r = alnumCache.get(s);
  if (r === undefined) {
    r = fold(s).toLowerCase().replace(/[^a-z0-9]/g, '');
    if (r === '') r = 'x';
    alnumCache.set(s, r);
  }
  return r;
}
function capitalizeLocal(local) { // "ada.lovelace" -> "Ada.Lovelace"
  return local.replace(/(^|[.\-_])([a-z])/g, (m, a, b) => a + b.toUpperCase());
}
const isAscii = (s) => /^[\x20-\x7e]*$/.test(s);

// ------------------------------------------------------------- uniqueness

const emailTaken = new Set(); // lower-case
const emailNext = new Map();
function uniqueLocal(base, domain) { // returns a free local part: base, base2, base3, ...
  if (!emailTaken.has(`${base}@${domain}`)) { emailTaken.add(`${base}@${domain}`); return base; }
  let n = emailNext.get(base) || 2;
  while (emailTaken.has(`${base}${n}@${domain}`)) n++;
  emailNext.set(base, n + 1);
  emailTaken.add(`${base}${n}@${domain}`);
  return `${base}${n}`;
}

const ghTaken = new Set();
function uniqueLogin(base) {
  base = base.replace(/^-+|-+$/g, '').replace(/--+/g, '-').slice(0, 36);
  if (!base) base = 'user';
  if (!ghTaken.has(base)) { ghTaken.add(base); return base; }
  for (;;) {
    const c = `${base}${randInt(1, 999)}`;
    if (!ghTaken.has(c)) { ghTaken.add(c); return c; }
  }
}
function ghLoginFor(fi, li) {
  const f = alnum(FIRSTS[fi]), l = alnum(LASTS[li]);
  const r = rand();
  let b;
  if (r < 0.20) b = f + l;                                  // adalovelace
  else if (r < 0.34) b = f + l.slice(0, 4);                 // adalove
  else if (r < 0.46) b = `${f}-${l[0]}`;                    // ada-l
  else if (r < 0.62) b = f[0] + l + randInt(1, 99);         // alovelace42
  else if (r < 0.72) b = `${f}-${l}`;                       // ada-lovelace
  else if (r < 0.78) b = l + f[0];                          // lovelacea
  else if (r < 0.85) b = f + randInt(1970, 2005);           // ada1987
  else if (r < 0.92) b = pick(HANDLE_A) + pick(HANDLE_B);   // quietfox
  else b = `${f}${l}-acme`;                                 // adalovelace-acme
  return uniqueLogin(b);
}
function secondLoginFor(fi, li, first) {
  const f = alnum(FIRSTS[fi]), l = alnum(LASTS[li]);
  const r = rand();
  let b;
  if (r < 0.3) b = `${first}-work`;
  else if (r < 0.55) b = `${f}${l}-acme`;
  else if (r < 0.75) b = `${f}-${l}-personal`;
  else b = pick(HANDLE_A) + '-' + pick(HANDLE_B);
  return uniqueLogin(b);
}

const HEX = '0123456789abcdef';
function hex8() { return u32().toString(16).padStart(8, '0'); }
function jiraHex() { // Atlassian account id, e.g. 5b10ac8d82e05b22cc7d4ef5
  return HEX[5 + (u32() % 3)] + hex8().slice(1) + hex8() + hex8();
}
const jiraTaken = new Set();
function jiraNamed(local) {
  let id = `jira-${local}`;
  while (jiraTaken.has(id)) id = `jira-${local}${randInt(2, 99)}`;
  jiraTaken.add(id);
  return id;
}
const PD_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pdTaken = new Set();
function pdId() { // P1A2B3C
  for (;;) {
    let id = 'P';
    let x = u32();
    for (let i = 0; i < 6; i++) { id += PD_CHARS[x % 36]; x = Math.floor(x / 36); }
    if (!pdTaken.has(id)) { pdTaken.add(id); return id; }
  }
}
const harnessTaken = new Set();
function harnessNum() {
  for (;;) {
    const id = `harness-${randInt(1000, 9999999)}`;
    if (!harnessTaken.has(id)) { harnessTaken.add(id); return id; }
  }
}

// -------------------------------------------------------------------- CSV

const NEEDS_QUOTE = /[",\r\n]/;
function q(s) {
  if (!NEEDS_QUOTE.test(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}
const HEADER = 'Full_Name,Email,Team_name,Designation,Location,Start_date,Manager_email,' +
  'Integration: Github,Integration: Jira,Integration: PagerDuty,Integration: Harness';

// ------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  seedRng(opts.seed);
  const N = opts.rows;

  // Unassigned accounts: ~4% of rows, at the end.
  const U = N < 10 ? 0 : Math.max(1, Math.round(N * 0.04));
  const personRows = N - U;

  // Identity-hygiene twins: person records created as duplicates of an
  // earlier record. A handful at small sizes, ~0.3% of people per kind.
  const K_NOREPLY = 1, K_SHORT = 2, K_ACCENT = 3;
  const pEst = Math.floor(personRows / 1.06);
  // Small files use fewer teams, so that teams are not one-person trees.
  const nTeams = Math.min(TEAMS.length, Math.max(1, Math.ceil(pEst / 25)));
  const twinSlots = new Map();
  if (pEst >= 30) {
    const per = Math.max(2, Math.round(pEst * 0.003));
    const lo = Math.floor(pEst * 0.15), hi = Math.floor(pEst * 0.95);
    for (const kind of [K_NOREPLY, K_SHORT, K_ACCENT]) {
      for (let k = 0; k < per; k++) {
        let pos;
        do pos = randInt(lo, hi - 1); while (twinSlots.has(pos));
        twinSlots.set(pos, kind);
      }
    }
  }

  // ---- pass 1: people, names, emails, teams, row counts
  const cap = Math.max(personRows, 1);
  const first = new Uint16Array(cap);
  const last = new Uint16Array(cap);
  const team = new Uint8Array(cap);
  const loc = new Uint8Array(cap);
  const start = new Uint16Array(cap);
  const flags = new Uint8Array(cap);
  const FL_TWO_GH = 1, FL_TWO_JIRA = 2, FL_FORCE_GH = 4, FL_TWIN = 8, FL_SOURCE = 16, FL_NOREPLY = 32, FL_PLAIN = 64, FL_CONTRACTOR = 128;
  const names = new Array(cap);
  const emails = new Array(cap);
  const noreplySrc = new Map(); // twin index -> source index

  const cultureOf = weighted(CULTURES.map((c, i) => [i, c.w]));
  const randomName = () => {
    const ci = cultureOf();
    const fi = pick(cultureFirst[ci]);
    const li = chance(0.85) ? pick(cultureLast[ci]) : pick(cultureLast[cultureOf()]);
    return [fi, li];
  };

  const pickSource = (i, ok) => {
    for (let tries = 0; tries < 200; tries++) {
      const s = randInt(0, i - 1);
      if ((flags[s] & (FL_TWIN | FL_SOURCE)) === 0 && ok(s)) return s;
    }
    for (let s = i - 1; s >= 0; s--) if ((flags[s] & (FL_TWIN | FL_SOURCE)) === 0 && ok(s)) return s;
    return -1;
  };

  let P = 0;
  let rowsLeft = personRows;
  while (rowsLeft > 0) {
    const i = P++;
    const kind = twinSlots.get(i);
    let src = -1;
    if (kind === K_NOREPLY) src = pickSource(i, () => true);
    else if (kind === K_SHORT) src = pickSource(i, (s) => emails[s] === `${localPart(FIRSTS[first[s]])}.${localPart(LASTS[last[s]])}@${DOMAIN}`);
    else if (kind === K_ACCENT) {
      src = pickSource(i, (s) => !isAscii(names[s]) && !names[s].includes(','));
      if (src < 0) src = pickSource(i, (s) => !names[s].includes(','));
    }
    start[i] = startDay();
    loc[i] = locationOf();
    if (src >= 0) {
      // ---- twin record of person src
      flags[src] |= FL_SOURCE;
      flags[i] |= FL_TWIN;
      first[i] = first[src]; last[i] = last[src];
      team[i] = team[src];
      if (chance(0.7)) loc[i] = loc[src];
      const f = localPart(FIRSTS[first[i]]), l = localPart(LASTS[last[i]]);
      if (kind === K_NOREPLY) {
        // Same name; email is a GitHub noreply address built from the
        // source's GitHub login (known in pass 2).
        flags[src] |= FL_FORCE_GH;
        flags[i] |= FL_NOREPLY;
        noreplySrc.set(i, src);
        names[i] = names[src];
        emails[i] = null;
      } else if (kind === K_SHORT) {
        // Same name, same domain, other spelling of the local part.
        names[i] = names[src];
        const base = chance(0.5) ? `${f[0]}.${l}` : `${f[0]}${l}`;
        emails[i] = `${uniqueLocal(base, DOMAIN)}@${DOMAIN}`;
      } else {
        // Same person spelled without accents, or in other case.
        const nm = names[src];
        const folded = fold(nm);
        if (folded !== nm) names[i] = folded;
        else names[i] = chance(0.5) ? nm.toLowerCase() : nm.toUpperCase();
        const base = chance(0.5) ? `${f[0]}${l}` : `${f}.${l}`;
        emails[i] = `${uniqueLocal(base, DOMAIN)}@${DOMAIN}`;
      }
      rowsLeft -= 1;
      continue;
    }

    // ---- ordinary person
    const [fi, li] = randomName();
    first[i] = fi; last[i] = li;
    do team[i] = teamOf(); while (team[i] >= nTeams);
    const F = FIRSTS[fi], L = LASTS[li];
    const r = rand();
    if (r < 0.006) names[i] = `${L}, ${F}`;                              // "O'Neil, Pat"
    else if (r < 0.009 && NICKNAMES[F]) names[i] = `${F} "${NICKNAMES[F]}" ${L}`; // Robert "Bob" Smith
    else if (r < 0.05) names[i] = `${F} ${String.fromCharCode(65 + (u32() % 26))}. ${L}`; // Ada B. Lovelace
    else names[i] = `${F} ${L}`;

    const f = localPart(F), l = localPart(L);
    const domain = chance(0.03) ? CONTRACTOR_DOMAIN : DOMAIN;
    if (domain !== DOMAIN) flags[i] |= FL_CONTRACTOR;
    const er = rand();
    let base;
    if (er < 0.86) base = `${f}.${l}`;
    else if (er < 0.93) { base = f[0] + l; flags[i] |= FL_PLAIN; }
    else { base = f + l; flags[i] |= FL_PLAIN; }
    let local = uniqueLocal(base, domain);
    let dom = domain;
    if (chance(0.04)) { // Mixed Case: Ada.Lovelace@Acme-Corp.com
      local = capitalizeLocal(local);
      dom = domain === DOMAIN ? 'Acme-Corp.com' : 'Acme-Contractors.com';
    }
    emails[i] = `${local}@${dom}`;

    let rowsHere = 1;
    if (rowsLeft >= 2) {
      const x = rand();
      if (x < 0.05) { flags[i] |= FL_TWO_GH; rowsHere = 2; }
      else if (x < 0.055) { flags[i] |= FL_TWO_JIRA; rowsHere = 2; }
    }
    rowsLeft -= rowsHere;
  }

  // ---- manager trees, one per team
  const desig = new Uint8Array(P);
  const mgr = new Int32Array(P).fill(-1);
  {
    const members = TEAMS.map(() => []);
    for (let i = 0; i < P; i++) members[team[i]].push(i);
    for (let t = 0; t < TEAMS.length; t++) {
      const all = members[t];
      if (all.length === 0) continue;
      // Shuffle the employees; contractors and twins go last, so they are
      // leaves (twins are fewer than the others, spans are >= 4).
      const ord = all.filter((i) => !(flags[i] & (FL_TWIN | FL_CONTRACTOR)));
      for (let k = ord.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        const tmp = ord[k]; ord[k] = ord[j]; ord[j] = tmp;
      }
      for (const i of all) if ((flags[i] & (FL_TWIN | FL_CONTRACTOR)) === FL_CONTRACTOR) ord.push(i);
      for (const i of all) if (flags[i] & FL_TWIN) ord.push(i);
      // Breadth-first fill with a random span per manager: parent < child,
      // so the graph is a tree.
      const nKids = new Int32Array(ord.length);
      let p = 0, span = randInt(5, 10);
      for (let k = 1; k < ord.length; k++) {
        if (nKids[p] >= span) { p++; span = randInt(4, 10); }
        mgr[ord[k]] = ord[p];
        nKids[p]++;
      }
      // Designations: managers of managers are Directors, managers of ICs
      // Engineering Managers, the root a Director.
      const hasMgrKid = new Uint8Array(ord.length);
      const pos = new Map();
      for (let k = 0; k < ord.length; k++) pos.set(ord[k], k);
      for (let k = 1; k < ord.length; k++) if (nKids[k] > 0) hasMgrKid[pos.get(mgr[ord[k]])] = 1;
      const ops = OPS_TEAMS.has(t);
      for (let k = 0; k < ord.length; k++) {
        const i = ord[k];
        if (k === 0 || hasMgrKid[k]) desig[i] = D_DIR;
        else if (nKids[k] > 0) desig[i] = D_EM;
        else desig[i] = ops ? leafDesigOps() : leafDesigDefault();
      }
    }
  }

  // ---- pass 2: write
  const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
  out.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0); // e.g. piped into head
    process.stderr.write(`gen-sei-csv: ${e.message}\n`);
    process.exit(1);
  });
  let bytes = 0;
  let rows = 0;
  let buf = HEADER + '\r\n';
  const flush = async (final) => {
    if (buf.length === 0) return;
    bytes += Buffer.byteLength(buf);
    const ok = out.write(buf);
    buf = '';
    if (!ok && !final) await new Promise((res) => out.once('drain', res));
  };

  const P_GH = [0.95, 0.96, 0.95, 0.82, 0.55, 0.93, 0.9, 0.45];
  const P_PD = [0.58, 0.62, 0.66, 0.6, 0.3, 0.95, 0.25, 0.12];
  const primaryLogin = new Map(); // noreply source -> login
  const ghOwnerSample = [];       // people with a GitHub login, sampled for unassigned look-alikes

  for (let i = 0; i < P; i++) {
    const fl = flags[i];
    const d = desig[i];
    let email = emails[i];
    let gh = '';
    if (fl & FL_NOREPLY) {
      const login = primaryLogin.get(noreplySrc.get(i));
      email = chance(0.6) ? `${randInt(100000, 99999999)}+${login}@users.noreply.github.com`
        : `${login}@users.noreply.github.com`;
      emails[i] = email;
    } else if ((fl & (FL_FORCE_GH | FL_TWO_GH)) || (!(fl & FL_TWIN) && chance(P_GH[d])) || ((fl & FL_TWIN) && chance(0.5))) {
      gh = ghLoginFor(first[i], last[i]);
      if (fl & FL_FORCE_GH) primaryLogin.set(i, gh);
      if (!(fl & FL_TWIN) && (ghOwnerSample.length < 4096 || chance(0.01))) {
        if (ghOwnerSample.length < 4096) ghOwnerSample.push(i);
        else ghOwnerSample[u32() % 4096] = i;
      }
    }
    let jira = '';
    if (chance(fl & FL_TWIN ? 0.6 : 0.92)) {
      jira = chance(0.82) ? jiraHex() : jiraNamed(email.split('@')[0].toLowerCase());
    }
    const pd = chance(fl & FL_TWIN ? 0.3 : P_PD[d]) ? pdId() : '';
    let harness = '';
    if (chance(0.5)) harness = chance(0.7) && !(fl & FL_NOREPLY) ? email.toLowerCase() : harnessNum();

    const m = mgr[i];
    const attrs = `${q(names[i])},${q(email)},${q(TEAMS[team[i]])},${DESIG[d]},${q(LOCATIONS[loc[i]])},` +
      `${chance(0.015) ? '' : DATES[start[i]]},${m >= 0 ? emails[m] : ''}`;
    buf += `${attrs},${gh},${jira},${pd},${q(harness)}\r\n`;
    rows++;
    if (fl & FL_TWO_GH) {
      const gh2 = secondLoginFor(first[i], last[i], gh);
      let jira2 = '', pd2 = '';
      const x = rand();
      if (x < 0.12) jira2 = jiraHex();
      else if (x < 0.2) pd2 = pdId();
      buf += `${attrs},${gh2},${jira2},${pd2},\r\n`;
      rows++;
    } else if (fl & FL_TWO_JIRA) {
      buf += `${attrs},,${jiraHex()},,\r\n`;
      rows++;
    }
    if (buf.length > (1 << 20)) await flush(false);
  }

  // ---- unassigned accounts
  const unassigned = [];
  if (U > 0) {
    const nBots = Math.min(BOTS.length, Math.floor(U / 3));
    const bots = BOTS.slice();
    for (let k = 0; k < nBots; k++) {
      const b = bots.splice(u32() % bots.length, 1)[0];
      ghTaken.add(b);
      unassigned.push([b, b, '', '', '']);
    }
    const randomPerson = () => {
      for (let tries = 0; tries < 50; tries++) {
        const j = u32() % P;
        if (!(flags[j] & FL_TWIN)) return j;
      }
      return 0;
    };
    const FIRST_KINDS = [0.1, 0.3, 0.5, 0.6, 0.7, 0.9]; // one of each kind first, then at random
    let iter = 0;
    while (unassigned.length < U) {
      const r = iter < FIRST_KINDS.length ? FIRST_KINDS[iter] : rand();
      iter++;
      let j = randomPerson();
      if (r < 0.22) { // prefer someone whose email local part is a valid GitHub login
        for (let t = 0; t < 300 && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(emails[j].split('@')[0].toLowerCase()); t++) {
          j = randomPerson();
        }
      }
      const nm = names[j];
      const email = emails[j];
      const loc0 = email.split('@')[0];
      const loc0l = loc0.toLowerCase();
      if (r < 0.22) {
        // GitHub login equal to someone's email local part, display name = login or first name
        if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(loc0l) && !ghTaken.has(loc0l)) {
          ghTaken.add(loc0l);
          unassigned.push([chance(0.5) ? loc0l : FIRSTS[first[j]], loc0l, '', '', '']);
        } else if (ghOwnerSample.length) {
          // a second, unknown login of a GitHub user with the same display name
          const o = ghOwnerSample[u32() % ghOwnerSample.length];
          unassigned.push([names[o], secondLoginFor(first[o], last[o], alnum(FIRSTS[first[o]])), '', '', '']);
        }
      } else if (r < 0.42) {
        // Same name as a person (sometimes folded or lower-cased), unknown GitHub login
        const shown = chance(0.2) ? fold(nm) : chance(0.15) ? nm.toLowerCase() : nm;
        unassigned.push([shown, ghLoginFor(first[j], last[j]), '', '', '']);
      } else if (r < 0.55) {
        // Jira account with the person's name
        unassigned.push([nm, '', chance(0.85) ? jiraHex() : jiraNamed(loc0l), '', '']);
      } else if (r < 0.63) {
        // PagerDuty account with the person's name
        unassigned.push([chance(0.8) ? nm : fold(nm), '', '', pdId(), '']);
      } else if (r < 0.72) {
        // Harness account: the person's email in other case or at another domain
        let v = `${capitalizeLocal(loc0l)}@${email.split('@')[1].toLowerCase()}`;
        if (v === email || chance(0.5)) v = `${loc0l}@acme.io`;
        unassigned.push([nm, '', '', '', v]);
      } else {
        // Nobody we know: former staff, contractors, outside contributors
        const [fi, li] = randomName();
        const full = `${FIRSTS[fi]} ${LASTS[li]}`;
        const col = rand();
        if (col < 0.5) unassigned.push([chance(0.3) ? pick(HANDLE_A) + pick(HANDLE_B) : full, ghLoginFor(fi, li), '', '', '']);
        else if (col < 0.75) unassigned.push([full, '', jiraHex(), '', '']);
        else if (col < 0.87) unassigned.push([full, '', '', pdId(), '']);
        else {
          const dom = pick(['contractor.io', 'gmail.com', 'acme-corp.com', 'outsource-dev.com']);
          unassigned.push([full, '', '', '', `${localPart(FIRSTS[fi])}.${localPart(LASTS[li])}@${dom}`]);
        }
      }
    }
    // Shuffle so the bots are spread among the others.
    for (let k = unassigned.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      const tmp = unassigned[k]; unassigned[k] = unassigned[j]; unassigned[j] = tmp;
    }
    for (const [nm, gh, jira, pd, h] of unassigned) {
      buf += `${q(nm)},,,,,,,${q(gh)},${q(jira)},${q(pd)},${q(h)}\r\n`;
      rows++;
      if (buf.length > (1 << 20)) await flush(false);
    }
  }
  await flush(true);
  if (opts.out) await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));

  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(`gen-sei-csv: rows=${rows} people=${P} unassigned=${unassigned.length} ` +
    `bytes=${bytes} seed=${opts.seed} (${secs.toFixed(2)}s)\n`);
}

main().catch((e) => { process.stderr.write(`gen-sei-csv: ${e.stack || e}\n`); process.exit(1); });
