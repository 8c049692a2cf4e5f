// Submitting and supporting needs through the JSON API: the same rules and
// refusals as the pages, answered in JSON, and every refusal changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue } from '../lib/server.mjs';

let server, community;
before(async () => {
  server = await startServer();
  community = Number(sqlValue(server.db, "SELECT id FROM org_unit WHERE kind = 'community' ORDER BY id LIMIT 1"));
});
after(async () => { await server.stop(); });

const needs = () => sqlValue(server.db, 'SELECT COUNT(*) FROM need');
const need = (extra = {}) => ({ title: '楼道灯坏了', body: '3号楼二单元楼道灯坏了一个月，晚上看不见台阶。',
                                category: '物业管理', unit_id: community, ...extra });

async function apiClient(login) {
  const c = server.client();
  await c.login(login);
  c.csrf = (await c.get('/api/v1/meta')).json().csrf_token;
  return c;
}

test('a resident submits a need as JSON and finds it in the API', async () => {
  const c = await apiClient('resident1');
  const res = await c.postJson('/api/v1/needs', need({ title: '接口提交的需求' }));
  assert.equal(res.status, 201, res.text);
  const { id } = res.json();
  assert.ok(id > 0);
  const one = await c.get(`/api/v1/needs/${id}`);
  assert.equal(one.status, 200);
  assert.equal(one.json().title, '接口提交的需求');
});

test('no session: 401 in JSON, nothing stored', async () => {
  const before = needs();
  const c = server.client();
  const res = await c.request('POST', '/api/v1/needs', { body: JSON.stringify(need()), type: 'application/json' });
  assert.equal(res.status, 401);
  assert.equal(res.json().error.status, 401);
  assert.equal(needs(), before);
});

test('missing CSRF token: 403, nothing stored', async () => {
  const c = await apiClient('resident1');
  const before = needs();
  const res = await c.request('POST', '/api/v1/needs', { body: JSON.stringify(need()), type: 'application/json' });
  assert.equal(res.status, 403);
  assert.equal(needs(), before);
});

test('malformed JSON, wrong types and fields a resident may not set are refused with a sentence', async () => {
  const c = await apiClient('resident1');
  const before = needs();
  for (const body of ['{"title": ', '[1,2]', JSON.stringify(need({ unit_id: 'x' })),
                      JSON.stringify(need({ person_id: 5 })), JSON.stringify(need({ channel: 'meeting' })),
                      JSON.stringify(need({ title: '' })), JSON.stringify(need({ unit_id: 999999 }))]) {
    const res = await c.request('POST', '/api/v1/needs', { body, type: 'application/json',
                                                           headers: { 'x-csrf-token': c.csrf } });
    assert.equal(res.status, 400, body);
    assert.ok(res.json().error.message.length > 5, body);
  }
  assert.equal(needs(), before);
});

test('staff record a need on behalf of someone without an account', async () => {
  const c = await apiClient('staff1');
  const res = await c.postJson('/api/v1/needs', need({ channel: 'phone', submitter_name: '王大爷' }));
  assert.equal(res.status, 201, res.text);
  assert.equal(sqlValue(server.db, `SELECT channel FROM need WHERE id = ${res.json().id}`), 'phone');
});

test('support through the API counts once', async () => {
  const author = await apiClient('resident2');
  const created = await (await apiClient('staff1')).postJson('/api/v1/needs', need({ title: '需要附议的需求' }));
  const id = created.json().id;
  const c = await apiClient('resident1');
  const first = await c.postJson(`/api/v1/needs/${id}/support`, {});
  assert.equal(first.status, 200, first.text);
  await c.postJson(`/api/v1/needs/${id}/support`, {});
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`), '1');
  const unverified = await author.postJson(`/api/v1/needs/${id}/support`, {});
  assert.equal(unverified.status, 403, 'an unverified resident cannot support');
});
