// The authorization matrix: every route of `gongzhi routes` × every kind of
// visitor (nobody signed in, residents, a social unit, a delegate, an
// implementer, the staff of community 1, the staff of another community,
// street staff, an administrator).
//
// The route list comes from the program itself, so a route added anywhere
// is walked here without touching this file.  For every route:
//   GET   never answers 5xx, and never shows a phone number or party
//         membership to someone not allowed to see it;
//   POST  without the CSRF token is refused for everyone and changes
//         nothing; with the token, nobody signed in may change anything on a
//         route that needs a login, and every refusal (4xx) changes nothing.
// Routes whose rules this file knows (the administration pages, and the
// curation routes by the AUTHZ_CURATE_NEEDS naming) also check who exactly
// is allowed and who is refused.  "Changes nothing" is checked against a
// fingerprint of the database: the row count of every table and the audit
// head.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runGongzhi } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num } from './admin-common.mjs';

const ROUTES = runGongzhi(['routes']).trim().split('\n').map((line) => JSON.parse(line));

const LOGINS = ['resident1', 'resident2', 'unit1', 'delegate1', 'builder', 'staff1', 'staff2', 'street', 'admin'];
const VISITORS = ['anonymous', ...LOGINS];
const STAFF = new Set(['staff1', 'staff2', 'street', 'admin']);
const STREET_WIDE = new Set(['street', 'admin']);

let server, ids;
const clients = {};
let phones;          // every person's phone number -> the path of their unit
let ownPhone;        // login -> their own phone number

before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  phones = new Map(q(server.db, `SELECT p.phone || ' ' || COALESCE(u.path, '') FROM person p
    LEFT JOIN org_unit u ON u.id = p.home_unit_id WHERE p.phone <> ''`).split('\n').filter(Boolean)
    .map((l) => l.split(' ')));
  ownPhone = Object.fromEntries(LOGINS.map((l) => [l, q(server.db,
    `SELECT p.phone FROM account a JOIN person p ON p.id = a.person_id WHERE a.login = '${l}'`)]));
  samples = sampleIds();
  for (const v of VISITORS) await signIn(v);
});
after(async () => { await server.stop(); });

async function signIn(visitor) {
  const c = server.client();
  if (visitor === 'anonymous') await c.get('/login');   // takes the anonymous form token
  else await c.login(visitor);
  clients[visitor] = c;
}

// ---- sample ids for :params ----

// A real id of the right kind where one can be found, community 1's where
// the object belongs to a community (so staff2 is the "other community").
let samples;
function sampleIds() {
  const c1 = ids.community1Path;
  const tryNum = (...sqls) => {
    for (const sql of sqls) {
      try { const v = num(server.db, sql); if (v > 0) return v; } catch { /* no such table or column */ }
    }
    return 0;
  };
  const inC1 = (table, col = 'unit_id') =>
    `SELECT MIN(t.id) FROM ${table} t JOIN org_unit u ON u.id = t.${col} WHERE u.path LIKE '${c1}%'`;
  const survey = tryNum(inC1('survey'), 'SELECT MIN(id) FROM survey');
  return {
    units: ids.community1,
    people: ids.person.resident1,
    roles: num(server.db, `SELECT MIN(r.id) FROM role_assignment r WHERE r.unit_id = ${ids.community1} AND r.role = 'delegate'
      AND r.person_id <> ${ids.person.delegate1}`),
    year: num(server.db, 'SELECT MAX(year) FROM year_cycle'),
    needs: tryNum(inC1('need'), 'SELECT MIN(id) FROM need'),
    drafts: tryNum(`SELECT MIN(id) FROM draft WHERE scope_path LIKE '${c1}%'`, 'SELECT MIN(id) FROM draft'),
    meetings: tryNum(inC1('community_meeting'), 'SELECT MIN(id) FROM community_meeting'),
    surveys: survey,
    questions: tryNum(`SELECT MIN(id) FROM survey_question WHERE survey_id = ${survey}`),
    answers: tryNum(`SELECT MIN(a.id) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id WHERE r.survey_id = ${survey}`,
      'SELECT MIN(id) FROM survey_answer'),
  };
}

const SINGULAR = (s) => s.replace(/ies$/, 'y').replace(/s$/, '');
const FIXED = { ':file': 'style.css', ':name': 'plans', ':n': '1', ':year': () => String(samples.year) };

// The path to request for a pattern: each :param takes the sample id of the
// segment before it ("/needs/:id" -> a need), else a guess from a table of
// that name, else 1.
function pathFor(pattern, overrides = {}) {
  const segs = pattern.split('/');
  return segs.map((seg, i) => {
    if (!seg.startsWith(':')) return seg;
    if (overrides[seg]) return String(overrides[seg]);
    if (FIXED[seg]) return typeof FIXED[seg] === 'function' ? FIXED[seg]() : FIXED[seg];
    const owner = segs[i - 1];
    if (samples[owner]) return String(samples[owner]);
    try {
      const v = num(server.db, `SELECT MIN(id) FROM "${SINGULAR(owner)}"`);
      if (v > 0) return String(v);
    } catch { /* no table of that name */ }
    return '1';
  }).join('/');
}

// ---- what this file knows about who may do what ----

// Routes of the administration pages: who gets 200 (GET) or may act (POST),
// the form a POST sends (valid, so that a refusal comes from authorization,
// not from validation) and the sample ids it uses.  The people and roles
// samples live in community 1: staff1 is at home there, staff2 is not.
const PEOPLE_C1 = ['admin', 'street', 'staff1'];
const ADMIN_PAGES = {
  'GET /admin': { allow: [...STAFF] },
  'GET /admin/units': { allow: [...STAFF] },
  'GET /admin/units/:id': { allow: [...STAFF] },
  'GET /admin/units/:id/delete': { allow: ['admin'], ids: () => ({ ':id': ids.emptyBuilding }) },
  'GET /admin/people': { allow: [...STAFF] },
  'GET /admin/people/new': { allow: [...STAFF] },
  'GET /admin/people/:id': { allow: PEOPLE_C1 },
  'GET /admin/roles/:id/end': { allow: [...STREET_WIDE] },
  'GET /admin/year': { allow: [...STREET_WIDE] },
  'GET /admin/audit': { allow: [...STREET_WIDE] },
  'GET /account': { allow: LOGINS },
  'GET /account/password': { allow: LOGINS },
  'POST /admin/units/:id': { allow: ['admin'], form: () => ({ name: '矩阵改名', households: '5' }) },
  'POST /admin/units/:id/children': { allow: ['admin'], form: () => ({ name: '矩阵网格', households: '0' }) },
  'POST /admin/units/:id/delete': { allow: ['admin'], ids: () => ({ ':id': ids.emptyBuilding }), form: () => ({ confirm: '1' }) },
  'POST /admin/people/new': { allow: PEOPLE_C1, form: () => ({ name: '矩阵居民', phone: '13911112222', kind: 'resident', home_unit: String(ids.grid1) }) },
  'POST /admin/people/:id': { allow: PEOPLE_C1, form: () => ({ name: '矩阵改名', kind: 'resident', home_unit: String(ids.grid1) }) },
  'POST /admin/people/:id/verify': { allow: PEOPLE_C1, form: () => ({ verified: '1' }) },
  'POST /admin/people/:id/roles': { allow: [...STREET_WIDE], form: () => ({ unit: String(ids.community1), role: 'delegate', delegate: 'resident_rep', term_start: '2026-01-01' }) },
  'POST /admin/roles/:id/end': { allow: [...STREET_WIDE], form: () => ({ confirm: '1' }) },
  'POST /admin/year/next': { allow: [...STREET_WIDE], form: () => ({}) },
  'POST /admin/year/:year': { allow: [...STREET_WIDE], form: () => {
    const y = samples.year;
    return { needs_start: `${y}-09-01`, needs_end: `${y}-10-31`, plans_start: `${y}-11-01`, plans_end: `${y + 1}-01-31`,
      effects_start: `${y + 1}-02-01`, effects_end: `${y + 1}-11-30` };
  } },
};

// Curation (AUTHZ_CURATE_NEEDS, AUTHZ_CONFIGURE_NEEDS): merging, declining,
// hiding needs, drafting matters, questionnaires and meetings are for staff
// only, so a visitor without a staff role is refused whatever they send.
const CURATION = [
  /^\/needs\/merge$/, /^\/needs\/categories$/, /^\/needs\/:id\/(decline|reopen|hide|unhide|unmerge)$/,
  /^\/drafts($|\/)/, /^\/meetings\/(new|:id\/)/, /^\/surveys\/(new|:id\/(edit|questions|publish|close|codes|answers))/,
];
const isCuration = (pattern) => CURATION.some((re) => re.test(pattern));

const refused = (res) => res.status === 401 || res.status === 403 ||
  (res.status === 303 && /^\/login/.test(res.location || ''));

// ---- what must never leak ----

function mayKnowPhoneOf(visitor, path) {
  if (STREET_WIDE.has(visitor)) return true;
  if (visitor === 'staff1') return path.startsWith(ids.community1Path);
  if (visitor === 'staff2') return path.startsWith(ids.community2Path);
  return false;
}

function assertNoLeak(visitor, what, text) {
  for (const [m] of text.matchAll(/(?<!\d)1\d{10}(?!\d)/g)) {
    if (!phones.has(m) || m === ownPhone[visitor]) continue;
    assert.ok(mayKnowPhoneOf(visitor, phones.get(m)), `${what}: ${visitor} was shown the phone number ${m}`);
  }
  if (!STAFF.has(visitor)) assert.ok(!text.includes('中共党员'), `${what}: ${visitor} was shown party membership`);
}

// ---- the matrix ----

for (const route of ROUTES.filter((r) => r.method === 'GET')) {
  const key = `GET ${route.pattern}`;
  test(key, async () => {
    const known = ADMIN_PAGES[key];
    const path = pathFor(route.pattern, known?.ids?.() || {});
    for (const v of VISITORS) {
      const res = await clients[v].get(path);
      assert.ok(res.status < 500, `${key} as ${v}: ${res.status}`);
      assertNoLeak(v, `${path}`, res.text);
      if (route.flags.includes('login') && v === 'anonymous') {
        assert.equal(res.status, route.flags.includes('api') ? 401 : 303, `${key} needs a login`);
        if (!route.flags.includes('api')) assert.match(res.location, /^\/login\?next=/);
      }
      if (known && v !== 'anonymous') {
        assert.equal(res.status, known.allow.includes(v) ? 200 : 403, `${key} as ${v}`);
      }
    }
  });
}

// Sends one probe and checks what it changed.  A refusal (any 4xx) must
// change nothing; a success may change the database, and the next probe
// compares against the new state.
let current;
async function probe(visitor, path, form, options, what) {
  current ??= fingerprint(server.db);
  const res = await clients[visitor].post(path, form, options);
  assert.ok(res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  const now = fingerprint(server.db);
  if (res.status >= 400 || refused(res)) assert.equal(now, current, `${what}: refused (${res.status}) but changed the database`);
  current = now;
  if (visitor !== 'anonymous' && !clients[visitor].cookies.has('gz_session')) await signIn(visitor);   // e.g. /logout
  return res;
}

for (const route of ROUTES.filter((r) => r.method === 'POST')) {
  const key = `POST ${route.pattern}`;
  test(key, async () => {
    const known = ADMIN_PAGES[key];
    const path = pathFor(route.pattern, known?.ids?.() || {});
    const form = known?.form?.() || {};
    // Without the form token: refused for everyone, nothing changes.
    for (const v of VISITORS) {
      const res = await probe(v, path, form, { csrf: false }, `${key} as ${v} without CSRF`);
      const expected = v === 'anonymous' && route.flags.includes('login') ? 401 : 403;
      assert.equal(res.status, expected, `${key} as ${v} without CSRF`);
    }
    // With the token.
    for (const v of VISITORS) {
      if (known?.allow.includes(v)) continue;   // the admin-*.test.mjs files cover what the allowed may do
      if (route.pattern === '/logout' && v !== 'anonymous') continue;   // accounts.test.mjs covers signing out
      const what = `${key} as ${v}`;
      const res = await probe(v, path, form, {}, what);
      if (v === 'anonymous' && route.flags.includes('login')) assert.ok(refused(res), `${what}: ${res.status}`);
      if (known) assert.ok(refused(res), `${what} must be refused: ${res.status}`);
      // Who may act is answered before what was sent, even with an empty body.
      if (isCuration(route.pattern) && !STAFF.has(v))
        assert.ok(refused(res), `${what} is for staff only: ${res.status}`);
    }
  });
}

test('the matrix covers every route, the administration pages among them', () => {
  const patterns = new Set(ROUTES.map((r) => `${r.method} ${r.pattern}`));
  for (const key of Object.keys(ADMIN_PAGES)) assert.ok(patterns.has(key), `${key} is still a route`);
  assert.ok(ROUTES.length >= Object.keys(ADMIN_PAGES).length);
});
