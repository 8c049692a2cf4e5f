// People and roles: the list and its scope (community staff see only their
// community), restricted data, creating and editing people, verifying
// residents, assigning and ending roles with their rules, the delegates'
// party-member share, and refusals that change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num, sentence } from './admin-common.mjs';

let server, ids;
const clients = {};
before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  for (const login of ['admin', 'street', 'staff1', 'staff2', 'delegate1', 'builder', 'resident1', 'unit1']) {
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

const listedIds = (html) => [...html.matchAll(/<td><a href="\/admin\/people\/(\d+)">/g)].map((m) => Number(m[1]));
const inCommunity = (path) => num(server.db, `SELECT COUNT(*) FROM person p JOIN org_unit u ON u.id = p.home_unit_id WHERE u.path LIKE '${path}%'`);

test('administrators list the whole street, fifty a page, and search by name', async () => {
  const total = num(server.db, 'SELECT COUNT(*) FROM person');
  const first = await clients.admin.get('/admin/people');
  assert.equal(first.status, 200);
  assert.match(first.text, new RegExp(`共${total}人`));
  assert.equal(listedIds(first.text).length, 50);
  assert.match(first.text, /rel="next"/);
  const second = await clients.admin.get('/admin/people?page=2');
  assert.notDeepEqual(listedIds(second.text), listedIds(first.text));
  const name = q(server.db, `SELECT name FROM person WHERE id = ${ids.person.resident1}`);
  const found = await clients.admin.get('/admin/people?q=' + encodeURIComponent(name));
  assert.ok(listedIds(found.text).includes(ids.person.resident1));
  const wildcard = await clients.admin.get('/admin/people?q=%25');
  assert.match(wildcard.text, /共0人/, '% is a character, not a wildcard');
  const bad = await clients.admin.get('/admin/people?page=0');
  assert.equal(bad.status, 400);
  assert.match(sentence(bad.text), /页码不正确/);
});

test('community staff see only the people of their own community', async () => {
  const res = await clients.staff1.get('/admin/people');
  assert.equal(res.status, 200);
  assert.match(res.text, new RegExp(`共${inCommunity(ids.community1Path)}人`));
  assert.doesNotMatch(res.text, /全部社区/);
  const paths = listedIds(res.text).map((id) => q(server.db, `SELECT u.path FROM person p JOIN org_unit u ON u.id = p.home_unit_id WHERE p.id = ${id}`));
  assert.ok(paths.every((p) => p.startsWith(ids.community1Path)), 'nobody from another community');
  const other = await clients.staff1.get(`/admin/people?community=${ids.community2}`);
  assert.equal(other.status, 403);
  assert.match(sentence(other.text), /此人不在您负责的社区/);
  const person = await clients.staff1.get(`/admin/people/${ids.person.resident2}`);
  assert.equal(person.status, 403, 'resident2 lives in community 2');
  const own = await clients.staff1.get(`/admin/people/${ids.person.resident1}`);
  assert.equal(own.status, 200);
});

test('phone numbers and party membership show only to those allowed to see them', async () => {
  const phone = q(server.db, `SELECT phone FROM person WHERE id = ${ids.person.resident1}`);
  const admin = await clients.admin.get(`/admin/people/${ids.person.resident1}`);
  assert.ok(admin.text.includes(phone));
  assert.match(admin.text, /中共党员/);
  for (const login of ['delegate1', 'builder', 'resident1', 'unit1']) {
    const res = await clients[login].get(`/admin/people/${ids.person.resident1}`);
    assert.equal(res.status, 403, login);
    assert.ok(!res.text.includes(phone), login);
    assert.doesNotMatch(res.text, /中共党员/, login);
    const list = await clients[login].get('/admin/people');
    assert.equal(list.status, 403, login);
    assert.match(sentence(list.text), /只有管理员、街道工作人员和社区工作人员可以管理人员信息/);
  }
  const staff2 = await clients.staff2.get(`/admin/people/${ids.person.resident1}`);
  assert.ok(!staff2.text.includes(phone), 'staff of another community');
});

test('community staff verify a resident of their community; staff elsewhere cannot', async () => {
  const resident = ids.person.resident2;   // not yet verified, community 2
  assert.equal(num(server.db, `SELECT verified FROM person WHERE id = ${resident}`), 0);
  await refusedUnchanged(() => clients.staff1.post(`/admin/people/${resident}/verify`, { verified: '1' }), 403, /此人不在您负责的社区/);
  await refusedUnchanged(() => clients.staff2.post(`/admin/people/${resident}/verify`, { verified: '1' }, { csrf: false }), 403, /表单已过期/);
  await refusedUnchanged(() => clients.staff2.post(`/admin/people/${resident}/verify`, { verified: 'maybe' }), 400, /核实状态的取值不正确/);
  const anonymous = server.client();
  await anonymous.get('/login');
  await refusedUnchanged(() => anonymous.post(`/admin/people/${resident}/verify`, { verified: '1' }), 401);
  const res = await clients.staff2.post(`/admin/people/${resident}/verify`, { verified: '1' });
  assert.equal(res.status, 303);
  assert.equal(num(server.db, `SELECT verified FROM person WHERE id = ${resident}`), 1);
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'person.verify');
  assert.match((await clients.staff2.get(res.location)).text, /已核实身份/);
});

test('adding a person: the fields are checked and the unit must be in scope', async () => {
  const fields = { name: '测试居民', phone: '13900001111', kind: 'resident', party_member: '1', home_unit: String(ids.grid1) };
  await refusedUnchanged(() => clients.admin.post('/admin/people/new', { ...fields, name: '' }), 400, /请填写姓名/);
  await refusedUnchanged(() => clients.admin.post('/admin/people/new', { ...fields, phone: '12ab' }), 400, /手机号格式不正确/);
  await refusedUnchanged(() => clients.admin.post('/admin/people/new', { ...fields, kind: 'alien' }), 400, /请选择身份/);
  await refusedUnchanged(() => clients.admin.post('/admin/people/new', { ...fields, home_unit: '999999' }), 400, /请选择本街道的一个单位/);
  await refusedUnchanged(() => clients.staff2.post('/admin/people/new', fields), 403, /此人不在您负责的社区/);
  await refusedUnchanged(() => clients.resident1.post('/admin/people/new', fields), 403);
  await refusedUnchanged(() => clients.admin.post('/admin/people/new', fields, { csrf: false }), 403);
  const res = await clients.admin.post('/admin/people/new', fields);
  assert.equal(res.status, 303);
  const id = Number(/\/admin\/people\/(\d+)\?created=1/.exec(res.location)[1]);
  assert.equal(q(server.db, `SELECT name || ' ' || phone || ' ' || party_member || ' ' || home_unit_id FROM person WHERE id = ${id}`),
    `测试居民 13900001111 1 ${ids.grid1}`);
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'person.create');
  assert.ok(!q(server.db, 'SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1').includes('13900001111'), 'the log holds no phone');
});

test('editing a person keeps them in the editor\'s scope', async () => {
  const p = ids.person.resident1;
  const fields = { name: '改名居民', phone: '13800002222', kind: 'resident', home_unit: String(ids.grid1) };
  const otherGrid = num(server.db, `SELECT id FROM org_unit WHERE parent_id = ${ids.community2} ORDER BY id LIMIT 1`);
  await refusedUnchanged(() => clients.staff1.post(`/admin/people/${p}`, { ...fields, home_unit: String(otherGrid) }), 403, /此人不在您负责的社区/);
  await refusedUnchanged(() => clients.staff2.post(`/admin/people/${p}`, fields), 403);
  await refusedUnchanged(() => clients.staff1.post(`/admin/people/${p}`, { ...fields, name: '两\n行' }), 400);
  const res = await clients.staff1.post(`/admin/people/${p}`, fields);
  assert.equal(res.status, 303);
  assert.equal(q(server.db, `SELECT name || ' ' || phone FROM person WHERE id = ${p}`), '改名居民 13800002222');
  assert.equal(num(server.db, `SELECT party_member FROM person WHERE id = ${p}`), 0, 'an unticked box clears it');
});

test('assigning roles follows the rules and is for street staff and administrators', async () => {
  const p = ids.person.resident1;
  const base = { unit: String(ids.community1), role: 'delegate', delegate: 'resident_rep', term_start: '2026-01-01', term_end: '2028-12-31' };
  const cases = [
    [{ ...base, delegate: 'none' }, /请选择代表类别/],
    [{ ...base, role: 'community_staff' }, /只有议事代表才有代表类别/],
    [{ ...base, term_end: '2025-01-01' }, /任期结束日期须晚于开始日期/],
    [{ ...base, term_start: '2026-02-30' }, /请填写任期开始日期/],
    [{ ...base, role: 'community_staff', delegate: 'none', unit: String(ids.grid1) }, /社区工作人员须在社区任职/],
    [{ ...base, role: 'admin', delegate: 'none' }, /须在街道任职/],
    [{ ...base, unit: String(ids.grid1) }, /议事代表须在社区或街道任职/],
    [{ ...base, unit: '999999' }, /请选择本街道的一个任职单位/],
    [{ ...base, role: 'mayor' }, /请选择角色/],
  ];
  for (const [fields, why] of cases) await refusedUnchanged(() => clients.admin.post(`/admin/people/${p}/roles`, fields), 400, why);
  for (const login of ['staff1', 'delegate1', 'resident1']) {
    await refusedUnchanged(() => clients[login].post(`/admin/people/${p}/roles`, base), 403, /只有管理员和街道工作人员可以任命或结束角色/);
  }
  await refusedUnchanged(() => clients.admin.post(`/admin/people/${p}/roles`, base, { csrf: false }), 403);
  const res = await clients.street.post(`/admin/people/${p}/roles`, base);
  assert.equal(res.status, 303);
  assert.equal(q(server.db, `SELECT role || ' ' || delegate_kind || ' ' || unit_id FROM role_assignment WHERE person_id = ${p} ORDER BY id DESC LIMIT 1`),
    `delegate resident_rep ${ids.community1}`);
  const page = await clients.street.get(`/admin/people/${p}`);
  assert.match(page.text, /议事代表（居民代表）/);
  assert.match(page.text, /2026-01-01 – 2028-12-31/);
});

test('ending a role asks first, then ends it once', async () => {
  const role = ids.staff1Role;
  for (const login of ['staff1', 'staff2', 'resident1']) {
    assert.equal((await clients[login].get(`/admin/roles/${role}/end`)).status, 403, login);
    await refusedUnchanged(() => clients[login].post(`/admin/roles/${role}/end`, { confirm: '1' }), 403);
  }
  await refusedUnchanged(() => clients.admin.post(`/admin/roles/${role}/end`, {}), 400, /请在确认页面上确认/);
  await refusedUnchanged(() => clients.admin.post(`/admin/roles/${role}/end`, { confirm: '1' }, { csrf: false }), 403);
  const ask = await clients.admin.get(`/admin/roles/${role}/end`);
  assert.equal(ask.status, 200);
  assert.match(ask.text, /确定要现在结束.*社区工作人员/);
  const res = await clients.admin.post(`/admin/roles/${role}/end`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.ok(num(server.db, `SELECT term_end FROM role_assignment WHERE id = ${role}`) <= Date.now() / 1000 + 1);
  assert.equal(q(server.db, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1'), 'role.end');
  await refusedUnchanged(() => clients.admin.post(`/admin/roles/${role}/end`, { confirm: '1' }), 409, /任期已经结束/);
  assert.equal((await clients.admin.get('/admin/roles/999999/end')).status, 404);
});

test('the delegate roster warns when party members are not more than half', async () => {
  const roster = () => q(server.db, `SELECT r.id || ':' || p.party_member FROM role_assignment r JOIN person p ON p.id = r.person_id
    WHERE r.unit_id = ${ids.community2} AND r.role = 'delegate' AND (r.term_end IS NULL OR r.term_end > ${Math.floor(Date.now() / 1000)})
    ORDER BY p.party_member DESC, r.id`).split('\n').map((l) => l.split(':').map(Number));
  let members = roster();
  const unitPage = () => clients.admin.get(`/admin/units/${ids.community2}`);
  let page = await unitPage();
  const party = members.filter(([, m]) => m).length;
  assert.match(page.text, new RegExp(`在任代表${members.length}人，其中党员${party}人`));
  assert.doesNotMatch(page.text, /党员人数未过半数/);
  // End party members' roles until they are exactly half: 5 of 10 is not a majority.
  while (true) {
    members = roster();
    const partyNow = members.filter(([, m]) => m).length;
    if (partyNow * 2 <= members.length) break;
    const [id] = members.find(([, m]) => m);
    const ask = await clients.admin.get(`/admin/roles/${id}/end`);
    const breaks = (partyNow - 1) * 2 <= members.length - 1;
    assert.equal(/将不再过半/.test(ask.text), breaks, 'the confirmation warns before the rule breaks');
    assert.equal((await clients.admin.post(`/admin/roles/${id}/end`, { confirm: '1' })).status, 303);
  }
  page = await unitPage();
  assert.match(page.text, /党员人数未过半数/);
  const dashboard = await clients.admin.get('/admin');
  assert.match(dashboard.text, /不符合：党员未过半/);
  // Staff of another community do not see that community's party share.
  const staff = await clients.staff1.get(`/admin/units/${ids.community2}`);
  assert.doesNotMatch(staff.text, /其中党员/);
  assert.doesNotMatch(staff.text, /中共党员/);
});

test('unknown people answer 404; another street\'s ids do not exist here', async () => {
  assert.equal((await clients.admin.get('/admin/people/999999')).status, 404);
  await refusedUnchanged(() => clients.admin.post('/admin/people/999999/verify', { verified: '1' }), 404);
  await refusedUnchanged(() => clients.admin.post('/admin/people/999999/roles', { unit: '1', role: 'resident', term_start: '2026-01-01' }), 404);
});
