// Several app servers, one PostgreSQL database: what a district or city runs
// (docs/SCALING.md).  Two `gongzhi serve` processes share one database; state
// lives only there, so a session, a write or a search made through one is
// the same through the other, and the audit chain stays one chain while both
// write at once.  PostgreSQL only: skipped on the SQLite run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue, runGongzhi, BACKEND } from '../lib/server.mjs';

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

// A client of server `to` carrying the cookies `from` holds.
function sameBrowser(from, to) {
  const c = to.client();
  for (const [k, v] of from.cookies) c.cookies.set(k, v);
  return c;
}

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
