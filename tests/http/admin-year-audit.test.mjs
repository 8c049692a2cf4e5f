// The yearly cycle page and the audit log page: who may use them, the date
// rules, next year's cycle with the defaults, paging the log, and refusals
// that change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, q, num, sentence } from './admin-common.mjs';

let server;
const clients = {};
before(async () => {
  server = await startServer();
  for (const login of ['admin', 'street', 'staff1', 'delegate1', 'resident1']) {
    clients[login] = server.client();
    await clients[login].login(login);
  }
});
after(async () => { await server.stop(); });

async function refusedUnchanged(act, status, why) {
  const before = fingerprint(server.db);
  const res = await act();
  assert.equal(res.status, status, res.text.slice(0, 300));
  if (why) assert.match(sentence(res.text), why);
  assert.equal(fingerprint(server.db), before, 'a refusal changed nothing');
  return res;
}

const latestYear = () => num(server.db, 'SELECT MAX(year) FROM year_cycle');
const dates = (year) => q(server.db, `SELECT needs_start || ',' || needs_end || ',' || plans_start || ',' || plans_end || ',' ||
  effects_start || ',' || effects_end FROM year_cycle WHERE year = ${year}`);
// Midnight in China (UTC+8) of a calendar date, as the server stores it.
const day = (text) => Date.parse(text + 'T00:00:00+08:00') / 1000;
const valid = (y) => ({ needs_start: `${y}-09-01`, needs_end: `${y}-10-15`, plans_start: `${y}-10-16`, plans_end: `${y + 1}-01-20`,
  effects_start: `${y + 1}-02-01`, effects_end: `${y + 1}-11-30` });

test('administrators and street staff see every cycle with its stages', async () => {
  const year = latestYear();
  for (const login of ['admin', 'street']) {
    const res = await clients[login].get('/admin/year');
    assert.equal(res.status, 200, login);
    assert.match(res.text, new RegExp(`${year}年度`));
    assert.match(res.text, new RegExp(`${year - 1}年度`));
    assert.match(res.text, /name="needs_start"/);
    assert.match(res.text, new RegExp(`按默认日期创建${year + 1}年度`));
  }
  for (const login of ['staff1', 'delegate1', 'resident1']) {
    const res = await clients[login].get('/admin/year');
    assert.equal(res.status, 403, login);
    assert.match(sentence(res.text), /只有管理员和街道工作人员可以设置年度安排/);
  }
});

test('changing the dates: each stage in order, the stages one after another', async () => {
  const year = latestYear();
  const path = `/admin/year/${year}`;
  await refusedUnchanged(() => clients.street.post(path, { ...valid(year), needs_end: `${year}-08-01` }), 400, /问需的结束日期早于开始日期/);
  await refusedUnchanged(() => clients.street.post(path, { ...valid(year), plans_start: `${year}-10-15` }), 400, /问计须在问需结束之后开始/);
  await refusedUnchanged(() => clients.street.post(path, { ...valid(year), effects_end: 'soon' }), 400, /请为每个阶段填写有效的开始和结束日期/);
  await refusedUnchanged(() => clients.street.post(path, { ...valid(year), plans_end: '' }), 400);
  await refusedUnchanged(() => clients.street.post('/admin/year/1999', valid(1999)), 404);
  await refusedUnchanged(() => clients.street.post('/admin/year/2150', valid(2150)), 404, null);
  for (const login of ['staff1', 'delegate1', 'resident1']) {
    await refusedUnchanged(() => clients[login].post(path, valid(year)), 403, /只有管理员和街道工作人员可以设置年度安排/);
  }
  await refusedUnchanged(() => clients.street.post(path, valid(year), { csrf: false }), 403, /表单已过期/);
  const anonymous = server.client();
  await anonymous.get('/login');
  await refusedUnchanged(() => anonymous.post(path, valid(year)), 401);
  const res = await clients.street.post(path, valid(year));
  assert.equal(res.status, 303);
  const v = valid(year);
  assert.equal(dates(year), [v.needs_start, v.needs_end, v.plans_start, v.plans_end, v.effects_start, v.effects_end].map(day).join(','));
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'year.update');
  assert.match((await clients.street.get(res.location)).text, /已保存/);
});

test('next year is created with the DESIGN defaults, one year at a time', async () => {
  const year = latestYear();
  await refusedUnchanged(() => clients.staff1.post('/admin/year/next', {}), 403);
  await refusedUnchanged(() => clients.admin.post('/admin/year/next', {}, { csrf: false }), 403);
  const res = await clients.admin.post('/admin/year/next', {});
  assert.equal(res.status, 303);
  assert.equal(latestYear(), year + 1);
  const y = year + 1;
  assert.equal(dates(y), [`${y}-09-01`, `${y}-10-31`, `${y}-11-01`, `${y + 1}-01-31`, `${y + 1}-02-01`, `${y + 1}-11-30`].map(day).join(','));
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'year.create');
  await clients.admin.post('/admin/year/next', {});
  assert.equal(latestYear(), year + 2);
  assert.match((await clients.admin.get('/admin/year')).text, new RegExp(`${year + 2}年度`));
});

test('the audit log pages from the newest record back, for administrators and street staff', async () => {
  const newest = num(server.db, 'SELECT MAX(id) FROM audit_log');
  const res = await clients.admin.get('/admin/audit');
  assert.equal(res.status, 200);
  const shown = [...res.text.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.equal(shown.length, 50);
  assert.equal(shown[0], newest);
  assert.ok(shown.every((id, i) => i === 0 || id < shown[i - 1]), 'newest first');
  assert.match(res.text, /gongzhi audit verify --db/);
  assert.match(res.text, /href="#verify"/);
  const older = /href="\/admin\/audit\?before=(\d+)"/.exec(res.text);
  assert.ok(older);
  const next = await clients.admin.get(`/admin/audit?before=${older[1]}`);
  const nextShown = [...next.text.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.equal(nextShown[0], num(server.db, `SELECT MAX(id) FROM audit_log WHERE id < ${shown[49]}
    AND street_id = (SELECT MIN(id) FROM street)`), 'continues right below the first page');
  assert.equal((await clients.street.get('/admin/audit')).status, 200);
  for (const login of ['staff1', 'delegate1', 'resident1']) {
    const refused = await clients[login].get('/admin/audit');
    assert.equal(refused.status, 403, login);
    assert.match(sentence(refused.text), /只有管理员和街道工作人员可以查看审计日志/);
  }
  assert.equal((await clients.admin.get('/admin/audit?before=abc')).status, 400);
  assert.equal((await server.client().get('/admin/audit')).status, 303);
});

test('the audit page shows who acted and names nothing restricted', async () => {
  await clients.admin.post('/admin/year/next', {});
  const res = await clients.admin.get('/admin/audit');
  assert.match(res.text, /<code>year\.create<\/code>/);
  assert.match(res.text, /\(admin, admin\)/, 'the login and the role acted in');
  const phones = q(server.db, 'SELECT phone FROM person').split('\n').filter(Boolean);
  assert.ok(phones.every((p) => !res.text.includes(p)), 'no phone number in the log');
});
