// Several app servers, one PostgreSQL database: what a district or city runs
// (docs/SCALING.md).  Two `gongzhi serve` processes share one database; state
// lives only there, so a session, a write or a search made through one is
// the same through the other, and the audit chain stays one chain while both
// write at once.  PostgreSQL only: skipped on the SQLite run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, freshDatabase, sqlValue, runGongzhi, BACKEND, BIN } from '../lib/server.mjs';

const skip = BACKEND !== 'postgres' && 'several servers share one database only on PostgreSQL (GZ_BACKEND=postgres)';

let a, b;
before(async () => {
  if (skip) return;
  a = await startServer();
  b = await startServer({ db: a.db });
});
after(async () => {
  if (b) await b.stop();   // b first: a owns the database and drops it
  if (a) await a.stop();
});

// A client of server `to` carrying the cookies (and form token) `from` holds.
function sameBrowser(from, to) {
  const c = to.client();
  for (const [k, v] of from.cookies) c.cookies.set(k, v);
  c.csrf = from.csrf;
  return c;
}

const num = (sql) => Number(sqlValue(a.db, sql));

const auditCount = (db) => Number(sqlValue(db, 'SELECT COUNT(*) FROM audit_log'));

test('a session made on one server is valid on the other, and ends on both', { skip }, async () => {
  const onA = a.client();
  await onA.login('resident1');
  const onB = sameBrowser(onA, b);
  const account = await onB.get('/account');
  assert.equal(account.status, 200);
  assert.match(account.text, /resident1/);
  // Sign out through b (b's page gives the CSRF token); a no longer knows the session.
  const out = await onB.post('/logout', {});
  assert.equal(out.status, 303);
  const after = await sameBrowser(onA, a).get('/account');
  assert.equal(after.status, 303, 'sent to sign in');
  assert.match(after.location, /^\/login/);
});

test('both servers write at once and the audit chain stays one unbroken chain', { skip }, async () => {
  const before = auditCount(a.db);
  const form = await a.client().get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  const perServer = 12;
  const register = async (server, i) => {
    const c = server.client();
    await c.get('/register');
    const login = `twin_${server === a ? 'a' : 'b'}_${i}`;
    const res = await c.post('/register', {
      login, password: 'abc12345', name: `住户${i}`, phone: '', community, kind: 'resident',
    });
    assert.equal(res.status, 303, `registration ${login}: ${res.status}`);
    return login;
  };
  const signIn = async (server, login, password) => {
    const c = server.client();
    await c.login(login, password);
    return c;
  };
  // Registrations and sign-ins on both servers, all in flight together.
  const jobs = [];
  for (let i = 0; i < perServer; i++) {
    jobs.push(register(a, i), register(b, i));
    jobs.push(signIn(i % 2 ? a : b, ['resident1', 'staff1', 'delegate1', 'unit1'][i % 4]));
  }
  const results = await Promise.all(jobs);
  assert.equal(results.length, perServer * 3);
  // Every write left exactly its records: nothing was lost to a race on the head.
  const added = auditCount(a.db) - before;
  assert.ok(added >= perServer * 3, `${added} audit records for ${perServer * 3} writes`);
  const verify = runGongzhi(['audit', 'verify', '--db', a.db]);
  assert.match(verify, /audit chain intact: \d+ records/);
  // Every new account works through either server.
  await signIn(b, 'twin_a_0', 'abc12345');
  await signIn(a, 'twin_b_0', 'abc12345');
});

test('the same account registered on both servers at once is created exactly once', { skip }, async () => {
  const form = await a.client().get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  const attempt = async (server) => {
    const c = server.client();
    await c.get('/register');
    return (await c.post('/register', {
      login: 'twin_same', password: 'abc12345', name: '同名', phone: '', community, kind: 'resident',
    })).status;
  };
  const statuses = (await Promise.all([attempt(a), attempt(b), attempt(a), attempt(b)])).sort();
  assert.deepEqual(statuses, [303, 409, 409, 409]);
  assert.equal(sqlValue(a.db, "SELECT COUNT(*) FROM account WHERE login = 'twin_same'"), '1');
  assert.equal(sqlValue(a.db, "SELECT COUNT(*) FROM person WHERE name = '同名'"), '1', 'the losers left no person behind');
  assert.match(runGongzhi(['audit', 'verify', '--db', a.db]), /audit chain intact/);
});

test('a resident supporting the same need on both servers at once ends with exactly one support', { skip }, async () => {
  const onA = a.client();
  await onA.login('resident1');
  const onB = sameBrowser(onA, b);
  const person = num("SELECT person_id FROM account WHERE login = 'resident1'");
  // An open need of the resident's own community that the resident neither raised nor supports.
  const id = num(`SELECT MIN(n.id) FROM need n, person p, org_unit u
    WHERE p.id = ${person} AND u.id = p.home_unit_id AND u.path LIKE '%/' || n.community_id || '/%'
      AND n.status = 'open' AND n.hidden = 0 AND (n.person_id IS NULL OR n.person_id <> ${person})
      AND n.id NOT IN (SELECT need_id FROM need_support WHERE person_id = ${person})`);
  assert.ok(id > 0, 'an open need of the resident\'s community');
  const before = num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`);
  const statuses = (await Promise.all([onA, onB, onA, onB, onA, onB].map((c) => c.post(`/needs/${id}/support`))))
    .map((r) => r.status).sort();
  assert.deepEqual(statuses, [303, 409, 409, 409, 409, 409]);
  assert.equal(num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`), before + 1);
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'need.support' AND object_id = ${id}`), 1);
  // Both servers show the new count.
  for (const c of [onA, onB]) assert.match((await c.get(`/needs/${id}`)).text, new RegExp(`附议 ${before + 1} 人`));
});

test('a need submitted on one server is found by a search on the other at once', { skip }, async () => {
  const onA = a.client();
  await onA.login('resident1');
  await onA.get('/needs/new');
  const community = num("SELECT id FROM org_unit WHERE kind = 'community' ORDER BY id LIMIT 1");
  const fd = new FormData();
  for (const [k, v] of Object.entries({
    title: '小花园的鹦鹉螺雕塑掉漆了', body: '小花园里那座鹦鹉螺雕塑的漆掉了一大片，孩子们常在旁边玩，希望重新刷漆。',
    category: '环境卫生', place: String(community), address: '小花园',
  })) fd.append(k, v);
  const res = await onA.postMultipart('/needs', fd);
  assert.equal(res.status, 303, res.text);
  const id = Number(/^\/needs\/(\d+)/.exec(res.location)[1]);
  const visitor = b.client();
  for (const q of ['鹦鹉螺', '雕塑 掉漆', '螺']) {
    const page = await visitor.get(`/needs?q=${encodeURIComponent(q)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`href="/needs/${id}"`), `search ${q} on the other server`);
  }
  const none = await visitor.get(`/needs?q=${encodeURIComponent('鹦鹉雕像')}`);
  assert.doesNotMatch(none.text, new RegExp(`href="/needs/${id}"`), 'no match for text the need does not contain');
});

test('servers started at once on a new database wait for one another to create the schema', { skip }, async () => {
  const db = freshDatabase();
  try {
    // Each migrates, then stops: the new database has no street yet.
    const run = () => new Promise((resolve) => {
      execFile(BIN, ['serve', '--db', db.url, '--listen', '127.0.0.1:0'], (err, stdout, stderr) => resolve({ code: err?.code ?? 0, stderr }));
    });
    const results = await Promise.all([run(), run(), run(), run()]);
    for (const r of results) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /has no street yet/, r.stderr);
      assert.doesNotMatch(r.stderr, /migration|already exists/, r.stderr);
    }
    const versions = sqlValue(db.url, 'SELECT COUNT(*) || \' \' || MAX(version) FROM schema_migration').split(' ');
    assert.equal(versions[0], versions[1], 'each migration recorded once');
  } finally {
    db.cleanup();
  }
});
