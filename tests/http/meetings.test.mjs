// Meeting intake: staff record a community meeting (date, place,
// attendance) and the needs raised at it, each linked to the meeting on the
// channel "meeting".  Refusals name the problem and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num, sentence } from './admin-common.mjs';

let server, ids, category;
const clients = {};
before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  for (const login of ['street', 'staff1', 'staff2', 'resident1']) {
    clients[login] = server.client();
    await clients[login].login(login);
  }
  const page = await clients.staff1.get(`/meetings/${demoMeeting()}`);
  category = /<select id="f-category" name="category"><option>([^<]+)</.exec(page.text)[1];
});
after(async () => { await server.stop(); });

const demoMeeting = () => num(server.db, `SELECT id FROM community_meeting WHERE unit_id = ${ids.community1} ORDER BY id LIMIT 1`);

function today(offsetDays = 0) {
  // Dates are China time (UTC+8), as the server reads them.
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

const meeting = (change = {}) => ({
  unit: String(ids.community1), title: '望湖东里社区楼门长会', held_on: today(-1), place: '社区居委会会议室',
  attendance: '32', notes: '讨论小区停车问题。', ...change,
});

async function refusedUnchanged(act, status, why) {
  const before = fingerprint(server.db);
  const res = await act();
  assert.equal(res.status, status, res.text.slice(0, 400));
  if (why) assert.match(sentence(res.text), why);
  assert.equal(fingerprint(server.db), before, 'a refusal changed nothing');
  return res;
}

test('the demo meetings and the needs raised at them are public', async () => {
  const list = await server.client().get('/meetings');
  assert.equal(list.status, 200);
  assert.match(list.text, /望湖东里社区居民议事会/);
  assert.match(list.text, /枣林社区楼门长恳谈会/);
  const id = demoMeeting();
  const page = await server.client().get(`/meetings/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /会上提出的意见建议（3条）/);
  assert.match(page.text, /3号楼加装电梯/);
  assert.doesNotMatch(page.text, /name="title"/, 'visitors get no form');
  assert.equal(num(server.db, `SELECT COUNT(*) FROM need WHERE meeting_id = ${id} AND channel = 'meeting'`), 3);
});

test('staff record a meeting, audited', async () => {
  const c = clients.staff1;
  const form = await c.get('/meetings/new');
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /望湖西里社区/, 'only communities staff1 reaches');
  const res = await c.post('/meetings/new', meeting());
  assert.equal(res.status, 303, sentence(res.text));
  const id = Number(/^\/meetings\/(\d+)$/.exec(res.location)[1]);
  assert.equal(q(server.db, `SELECT title || '|' || place || '|' || attendance || '|' || unit_id FROM community_meeting WHERE id = ${id}`),
    `望湖东里社区楼门长会|社区居委会会议室|32|${ids.community1}`);
  assert.equal(q(server.db, `SELECT action FROM audit_log WHERE object_type = 'community_meeting' AND object_id = ${id}`),
    'meeting.create');
  const page = await c.get(`/meetings/${id}`);
  assert.match(page.text, /name="title"/, 'staff get the form to add a need');
});

test('bad meeting input is refused with a sentence and changes nothing', async () => {
  const c = clients.staff1;
  await c.get('/meetings/new');
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ held_on: today(2) })), 400, /不能晚于今天/);
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ held_on: '2026-02-30' })), 400, /年-月-日/);
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ attendance: '0' })), 400, /参会人数/);
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ attendance: 'many' })), 400, /参会人数/);
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ place: '' })), 400, /会议地点/);
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ title: '' })), 400, /会议名称/);
  // A grid is not a community.
  await refusedUnchanged(() => c.post('/meetings/new', meeting({ unit: String(ids.grid1) })), 400, /召开会议的社区/);
});

test('no session, wrong role, wrong community and missing CSRF are refused', async () => {
  const anon = server.client();
  await anon.get('/login');
  assert.equal((await anon.get('/meetings/new')).status, 303);
  await refusedUnchanged(() => anon.post('/meetings/new', meeting()), 401, /请先登录/);
  assert.equal((await clients.resident1.get('/meetings/new')).status, 403);
  await refusedUnchanged(() => clients.resident1.post('/meetings/new', meeting()), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff1.post('/meetings/new', meeting({ unit: String(ids.community2) })), 403,
    /没有权限/);
  await refusedUnchanged(() => clients.staff1.post('/meetings/new', meeting(), { csrf: false }), 403, /表单已过期/);
  const id = demoMeeting();
  const need = { title: '楼道堆物清理', body: '楼道里堆了很多杂物，消防通道被堵。', category };
  await refusedUnchanged(() => anon.post(`/meetings/${id}/needs`, need), 401, /请先登录/);
  await refusedUnchanged(() => clients.resident1.post(`/meetings/${id}/needs`, need), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff2.post(`/meetings/${id}/needs`, need), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff1.post(`/meetings/${id}/needs`, need, { csrf: false }), 403, /表单已过期/);
  assert.equal((await server.client().get('/meetings/999999')).status, 404);
});

test('a need raised at the meeting is linked to it on the channel "meeting"', async () => {
  const c = clients.staff1;
  const id = demoMeeting();
  await c.get(`/meetings/${id}`);
  const before = num(server.db, `SELECT COUNT(*) FROM need WHERE meeting_id = ${id}`);
  const res = await c.post(`/meetings/${id}/needs`,
    { title: '楼道堆物清理', body: '楼道里堆了很多杂物，消防通道被堵。', category, submitter: '王大爷' });
  assert.equal(res.status, 303, sentence(res.text));
  assert.equal(num(server.db, `SELECT COUNT(*) FROM need WHERE meeting_id = ${id}`), before + 1);
  const row = q(server.db, `SELECT channel || '|' || community_id || '|' || submitter_name || '|' || COALESCE(recorded_by, 0)
    FROM need WHERE meeting_id = ${id} ORDER BY id DESC LIMIT 1`);
  assert.equal(row, `meeting|${ids.community1}|王大爷|${ids.person.staff1}`);
  // Without a name, the need is the meeting's, never the staff member's own.
  await c.post(`/meetings/${id}/needs`, { title: '增设快递柜', body: '小区没有快递柜，取件很不方便。', category });
  assert.equal(q(server.db, `SELECT COALESCE(person_id, 0) || '|' || submitter_name FROM need WHERE meeting_id = ${id}
    ORDER BY id DESC LIMIT 1`), '0|参会居民');
  const page = await server.client().get(`/meetings/${id}`);
  assert.match(page.text, /楼道堆物清理/);
  assert.match(page.text, /增设快递柜/);
  // Street staff reach every community's meetings.
  const street = await clients.street.post(`/meetings/${id}/needs`,
    { title: '路灯维修', body: '东门路灯坏了，晚上太黑。', category });
  assert.equal(street.status, 303);
});

test('a bad need is refused in place and changes nothing', async () => {
  const c = clients.staff1;
  const id = demoMeeting();
  await c.get(`/meetings/${id}`);
  await refusedUnchanged(() => c.post(`/meetings/${id}/needs`, { title: '灯', body: '路灯坏了很久了。', category }), 400,
    /标题需要2–60个字/);
  await refusedUnchanged(() => c.post(`/meetings/${id}/needs`, { title: '路灯', body: '坏了', category }), 400,
    /内容需要5–2000个字/);
  await refusedUnchanged(() => c.post(`/meetings/${id}/needs`, { title: '路灯维修', body: '路灯坏了很久了。', category: '不存在的类别' }),
    400);
});
