// The organisation tree pages: who sees them, who changes them, the rules a
// change must follow, the confirmation before a delete, and refusals that
// change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num, sentence } from './admin-common.mjs';

let server, ids;
const clients = {};
before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  for (const login of ['admin', 'street', 'staff1', 'resident1']) {
    clients[login] = server.client();
    await clients[login].login(login);
  }
});
after(async () => { await server.stop(); });

// Runs `act` and asserts it answered `status` with a sentence matching
// `why`, and that the database is exactly as before.
async function refusedUnchanged(act, status, why) {
  const before = fingerprint(server.db);
  const res = await act();
  assert.equal(res.status, status, res.text.slice(0, 300));
  if (why) assert.match(sentence(res.text), why);
  assert.equal(fingerprint(server.db), before, 'a refusal changed nothing');
  return res;
}

test('the tree shows every community with its households and yearly grant', async () => {
  const res = await clients.admin.get('/admin/units');
  assert.equal(res.status, 200);
  for (const name of ['望湖东里社区', '望湖西里社区', '枣林社区', '花园北社区']) assert.match(res.text, new RegExp(name));
  // 2,400 households: 80,000 + 400 × 40
  assert.match(res.text, /2400户，年度经费96000元/);
  assert.match(res.text, /class="depth-3"/, 'buildings are indented below their grid');
});

test('staff see the tree without the forms to change it; residents are refused', async () => {
  const res = await clients.staff1.get(`/admin/units/${ids.community1}`);
  assert.equal(res.status, 200);
  assert.doesNotMatch(res.text, /action="\/admin\/units\/\d+"/);
  assert.doesNotMatch(res.text, /删除此单位/);
  const refused = await clients.resident1.get('/admin/units');
  assert.equal(refused.status, 403);
  assert.match(sentence(refused.text), /管理页面仅供管理员、街道工作人员和社区工作人员使用/);
  const anonymous = await server.client().get('/admin/units');
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.location, /^\/login\?next=%2Fadmin%2Funits|^\/login\?next=\/admin\/units/);
});

test('an administrator renames a community and the change is audited', async () => {
  const head = num(server.db, 'SELECT last_id FROM audit_head');
  const res = await clients.admin.post(`/admin/units/${ids.community2}`, { name: '望湖西里新社区', households: '1900' });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/admin/units/${ids.community2}?saved=1`);
  assert.equal(q(server.db, `SELECT name || '/' || households FROM org_unit WHERE id = ${ids.community2}`), '望湖西里新社区/1900');
  assert.equal(q(server.db, `SELECT action FROM audit_log WHERE id = ${head + 1}`), 'unit.update');
  const page = await clients.admin.get(res.location);
  assert.match(page.text, /已保存/);
  assert.match(page.text, /望湖西里新社区/);
});

test('a rename with a bad name or household count is refused with a sentence', async () => {
  const path = `/admin/units/${ids.community1}`;
  await refusedUnchanged(() => clients.admin.post(path, { name: '', households: '10' }), 400, /请填写名称/);
  await refusedUnchanged(() => clients.admin.post(path, { name: '新名', households: '-1' }), 400, /户数须为0到10000000之间的整数/);
  await refusedUnchanged(() => clients.admin.post(path, { name: 'x'.repeat(61), households: '1' }), 400, /不超过60个字/);
  await refusedUnchanged(() => clients.admin.post(path, { name: '两\n行', households: '1' }), 400, /不能换行/);
});

test('only administrators change the tree: street and community staff are refused', async () => {
  for (const login of ['street', 'staff1', 'resident1']) {
    await refusedUnchanged(() => clients[login].post(`/admin/units/${ids.community1}`, { name: '改名', households: '1' }),
      403, login === 'resident1' ? /只有管理员可以修改组织架构/ : /只有管理员可以修改组织架构/);
    await refusedUnchanged(() => clients[login].post(`/admin/units/${ids.community1}/children`, { name: '新网格' }), 403);
    await refusedUnchanged(() => clients[login].post(`/admin/units/${ids.emptyBuilding}/delete`, { confirm: '1' }), 403);
    const confirm = await clients[login].get(`/admin/units/${ids.emptyBuilding}/delete`);
    assert.equal(confirm.status, 403);
  }
});

test('no session and no CSRF token change nothing', async () => {
  const anonymous = server.client();
  await anonymous.get('/login');
  await refusedUnchanged(() => anonymous.post(`/admin/units/${ids.community1}`, { name: '改名', households: '1' }), 401);
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.community1}`, { name: '改名', households: '1' }, { csrf: false }),
    403, /表单已过期/);
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.emptyBuilding}/delete`, { confirm: '1' }, { csrf: false }), 403);
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.community1}/children`, { name: '新网格', csrf: 'f'.repeat(64) }), 403);
});

test('a child is always one level down; a building takes no children', async () => {
  const res = await clients.admin.post(`/admin/units/${ids.community1}/children`, { name: '第四网格', households: '0' });
  assert.equal(res.status, 303);
  const id = Number(/\/admin\/units\/(\d+)\?added=1/.exec(res.location)[1]);
  assert.equal(q(server.db, `SELECT kind || ' ' || parent_id || ' ' || path FROM org_unit WHERE id = ${id}`),
    `grid ${ids.community1} ${ids.community1Path}${id}/`);
  const building = num(server.db, "SELECT id FROM org_unit WHERE kind = 'building' ORDER BY id LIMIT 1");
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${building}/children`, { name: '地下室' }), 409, /楼栋是最低一级/);
});

test('a delete needs its confirmation page, and a unit in use cannot be deleted', async () => {
  // A community with grids, people and roles: the page says why, with no button.
  const blocked = await clients.admin.get(`/admin/units/${ids.community1}/delete`);
  assert.equal(blocked.status, 200);
  assert.match(blocked.text, /此单位还不能删除：它有\d+个下级单位/);
  assert.doesNotMatch(blocked.text, /确认删除/);
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.community1}/delete`, { confirm: '1' }), 409, /此单位还不能删除/);
  // The street itself never.
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.street}/delete`, { confirm: '1' }), 409, /街道本身不能删除/);
  // Without the confirmation field nothing happens.
  await refusedUnchanged(() => clients.admin.post(`/admin/units/${ids.emptyBuilding}/delete`, {}), 400, /请在确认页面上确认/);
  // An empty building: the page asks, the answer deletes and audits.
  const ask = await clients.admin.get(`/admin/units/${ids.emptyBuilding}/delete`);
  assert.match(ask.text, /确定要删除楼栋/);
  assert.match(ask.text, /name="confirm" value="1"/);
  const res = await clients.admin.post(`/admin/units/${ids.emptyBuilding}/delete`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/admin/units?deleted=1');
  assert.equal(num(server.db, `SELECT COUNT(*) FROM org_unit WHERE id = ${ids.emptyBuilding}`), 0);
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'unit.delete');
  assert.equal((await clients.admin.get(`/admin/units/${ids.emptyBuilding}`)).status, 404);
});

test('unknown units answer 404', async () => {
  for (const p of ['/admin/units/999999', '/admin/units/abc', '/admin/units/0/delete']) {
    assert.equal((await clients.admin.get(p)).status, 404, p);
  }
  await refusedUnchanged(() => clients.admin.post('/admin/units/999999', { name: '无', households: '1' }), 404);
});

test('the dashboard says what each user may manage', async () => {
  const admin = await clients.admin.get('/admin');
  assert.equal(admin.status, 200);
  for (const href of ['/admin/units', '/admin/people', '/admin/year', '/admin/audit']) assert.match(admin.text, new RegExp(`href="${href}"`));
  const staff = await clients.staff1.get('/admin');
  assert.equal(staff.status, 200);
  assert.match(staff.text, /您可以管理本社区的人员/);
  assert.doesNotMatch(staff.text, /href="\/admin\/year"/);
  assert.doesNotMatch(staff.text, /href="\/admin\/audit"/);
  const resident = await clients.resident1.get('/admin');
  assert.equal(resident.status, 403);
  assert.match(sentence(resident.text), /管理页面仅供/);
});
