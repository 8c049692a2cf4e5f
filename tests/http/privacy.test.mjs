// Personal data: a resident downloads everything held about them, and a
// deletion request pseudonymises them while counts and the audit chain stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue, runGongzhi, DEMO_PASSWORD } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('a resident downloads their own data as JSON', async () => {
  const c = server.client();
  await c.login('resident1');
  const res = await c.get('/account/export');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition'), /attachment/);
  const data = res.json();
  const name = sqlValue(server.db, "SELECT p.name FROM person p JOIN account a ON a.person_id = p.id WHERE a.login = 'resident1'");
  assert.equal(data.person.name, name);
  assert.equal(data.account.login, 'resident1');
  assert.ok(Array.isArray(data.needs) && Array.isArray(data.supports) && Array.isArray(data.survey_answers));
  const supports = sqlValue(server.db, "SELECT COUNT(*) FROM need_support s JOIN account a ON a.person_id = s.person_id WHERE a.login = 'resident1'");
  assert.equal(data.supports.length, Number(supports));
});

test('the export needs a session', async () => {
  const res = await server.client().get('/account/export');
  assert.equal(res.status, 303);
});

test('deletion needs the password and the confirmation, and then pseudonymises', async () => {
  const c = server.client();
  await c.login('resident1');
  const person = sqlValue(server.db, "SELECT person_id FROM account WHERE login = 'resident1'");
  const supports = sqlValue(server.db, `SELECT COUNT(*) FROM need_support WHERE person_id = ${person}`);
  const needs = sqlValue(server.db, `SELECT COUNT(*) FROM need WHERE person_id = ${person}`);
  await c.get('/account/delete');
  assert.equal((await c.post('/account/delete', { password: DEMO_PASSWORD })).status, 400, 'no confirmation');
  assert.equal((await c.post('/account/delete', { password: 'wrong-one-1', confirm: '1' })).status, 403);
  assert.equal((await c.post('/account/delete', { password: DEMO_PASSWORD, confirm: '1' }, { csrf: false })).status, 403);
  assert.equal(sqlValue(server.db, `SELECT pseudonymised FROM person WHERE id = ${person}`), '0', 'refusals changed nothing');
  const res = await c.post('/account/delete', { password: DEMO_PASSWORD, confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(sqlValue(server.db, `SELECT name || '|' || phone || '|' || pseudonymised FROM person WHERE id = ${person}`),
               `已注销用户 ${person}||1`);
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM need_support WHERE person_id = ${person}`), supports);
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM need WHERE person_id = ${person}`), needs);
  assert.equal((await c.get('/account')).status, 303, 'the session ended');
  const again = server.client();
  await again.get('/login');
  assert.equal((await again.post('/login', { login: 'resident1', password: DEMO_PASSWORD })).status, 401);
  assert.match(runGongzhi(['audit', 'verify', '--db', server.db]), /audit chain intact/);
});
