// Accounts and sessions: sign in and out, registration, passwords,
// throttling, CSRF, and refusals that change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue, DEMO_PASSWORD } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const sessions = () => Number(sqlValue(server.db, 'SELECT COUNT(*) FROM session'));

test('every demo account signs in and sees its name on the home page', async () => {
  for (const login of ['admin', 'street', 'staff1', 'delegate1', 'builder', 'resident1', 'resident2', 'unit1']) {
    const c = server.client();
    await c.login(login);
    const home = await c.get('/');
    assert.match(home.text, /欢迎您/, login);
    const cookie = c.cookies.get('gz_session');
    assert.equal(cookie.length, 64, '256-bit token');
  }
});

test('the session cookie is HttpOnly and SameSite=Lax', async () => {
  const c = server.client();
  await c.get('/login');
  const res = await c.post('/login', { login: 'resident1', password: DEMO_PASSWORD });
  const cookie = res.headers.getSetCookie().find((l) => l.startsWith('gz_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
});

test('only a hash of the session token is stored', async () => {
  const c = server.client();
  await c.login('resident1');
  const token = c.cookies.get('gz_session');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM session WHERE token_hash = '${token}'`), '0');
});

test('wrong password and unknown login get the same answer', async () => {
  const c = server.client();
  await c.get('/login');
  const wrong = await c.post('/login', { login: 'resident2', password: 'nope12345' });
  const unknown = await c.post('/login', { login: 'nobody_here', password: 'nope12345' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  const sentence = (t) => /<p class="notice error"[^>]*>([^<]*)</.exec(t)[1];
  assert.equal(sentence(wrong.text), sentence(unknown.text));
});

test('a new session token at every sign-in (no fixation)', async () => {
  const c = server.client();
  await c.login('resident1');
  const first = c.cookies.get('gz_session');
  await c.login('resident1');
  assert.notEqual(c.cookies.get('gz_session'), first);
});

test('logout ends the session on the server', async () => {
  const c = server.client();
  await c.login('delegate1');
  const token = c.cookies.get('gz_session');
  const out = await c.post('/logout');
  assert.equal(out.status, 303);
  const replay = server.client();
  replay.cookies.set('gz_session', token);
  const page = await replay.get('/account');
  assert.equal(page.status, 303, 'the old token no longer signs anyone in');
  assert.match(page.location, /^\/login/);
});

test('logout without the CSRF token is refused and the session lives on', async () => {
  const c = server.client();
  await c.login('staff1');
  const before = sessions();
  const res = await c.post('/logout', {}, { csrf: false });
  assert.equal(res.status, 403);
  assert.match(res.text, /表单已过期/);
  assert.equal(sessions(), before);
  assert.equal((await c.get('/account')).status, 200);
});

test('login without the CSRF token is refused', async () => {
  const c = server.client();
  const res = await c.post('/login', { login: 'resident1', password: DEMO_PASSWORD }, { csrf: false });
  assert.equal(res.status, 403);
});

test('login is throttled per account with a retry-after', async () => {
  const c = server.client();
  await c.get('/login');
  for (let i = 0; i < 5; i++) await c.post('/login', { login: 'builder', password: 'wrong-pass-1' });
  const res = await c.post('/login', { login: 'builder', password: DEMO_PASSWORD });
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.match(res.text, /登录失败次数过多/);
});

test('registration creates an unverified resident who can sign in', async () => {
  const c = server.client();
  const form = await c.get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  const res = await c.post('/register', { login: 'new_resident', password: 'abc12345', name: '测试居民',
                                           phone: '13800001111', community, kind: 'resident' });
  assert.equal(res.status, 303);
  await c.login('new_resident', 'abc12345');
  const account = await c.get('/account');
  assert.match(account.text, /待社区核实/);
});

test('registration refuses a weak password, a taken login and a bad community, changing nothing', async () => {
  const c = server.client();
  const form = await c.get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  const people = sqlValue(server.db, 'SELECT COUNT(*) FROM person');
  const base = { login: 'another_one', password: 'abc12345', name: '某人', phone: '', community, kind: 'resident' };
  assert.equal((await c.post('/register', { ...base, password: 'short' })).status, 400);
  assert.equal((await c.post('/register', { ...base, login: 'resident1' })).status, 409);
  assert.equal((await c.post('/register', { ...base, community: '999999' })).status, 400);
  assert.equal((await c.post('/register', { ...base, login: 'Bad Login!' })).status, 400);
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM person'), people);
});

test('changing the password ends every session and the new one works', async () => {
  const c = server.client();
  await c.get('/register');
  const form = await c.get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  await c.post('/register', { login: 'pw_changer', password: 'first1234', name: '改密码', phone: '', community, kind: 'resident' });
  await c.login('pw_changer', 'first1234');
  const other = server.client();
  await other.login('pw_changer', 'first1234');
  await c.get('/account/password');
  const wrong = await c.post('/account/password', { old: 'not-it-123', new: 'second1234' });
  assert.equal(wrong.status, 403);
  const ok = await c.post('/account/password', { old: 'first1234', new: 'second1234' });
  assert.equal(ok.status, 303);
  assert.equal((await other.get('/account')).status, 303, 'the other session ended');
  const again = server.client();
  await again.login('pw_changer', 'second1234');
});

test('pages that need a session send visitors to sign in', async () => {
  const res = await server.client().get('/account');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/login?next=/account');
});

test('with a password age limit, an old password must be changed after signing in', async () => {
  const strict = await startServer({ args: ['--password-max-age-days', '30'] });
  try {
    sqlValue(strict.db, "UPDATE account SET password_changed_at = password_changed_at - 40 * 86400 WHERE login = 'resident1'");
    const c = strict.client();
    await c.get('/login');
    const res = await c.post('/login', { login: 'resident1', password: DEMO_PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/account/password?expired=1');
    const fresh = strict.client();
    await fresh.get('/login');
    const other = await fresh.post('/login', { login: 'resident2', password: DEMO_PASSWORD });
    assert.equal(other.location, '/', 'a recent password is not affected');
  } finally {
    await strict.stop();
  }
});

test('sessions expire after the idle time and after the absolute lifetime', async () => {
  const of = "(SELECT id FROM account WHERE login = 'unit1')";
  const idle = server.client();
  await idle.login('unit1');
  sqlValue(server.db, `UPDATE session SET last_seen_at = last_seen_at - 3 * 3600 WHERE account_id = ${of}`);
  assert.equal((await idle.get('/account')).status, 303, 'idle for three hours: signed out');

  const old = server.client();
  await old.login('unit1');
  assert.equal((await old.get('/account')).status, 200);
  sqlValue(server.db, `UPDATE session SET created_at = created_at - 8 * 86400 WHERE account_id = ${of}`);
  assert.equal((await old.get('/account')).status, 303, 'a week old: signed out even when active');
});
