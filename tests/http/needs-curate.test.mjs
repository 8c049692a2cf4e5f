// What happens to needs: supports (附议), merging near-duplicates (kept and
// reversible), consolidation into draft matters, not adopting with a public
// reason, hiding, withdrawing; the accounting of every need; the inbox that
// tells everyone; the CSV export.  Every refusal changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue } from '../lib/server.mjs';
import { fingerprint } from './admin-common.mjs';

let server;
const num = (sql) => Number(sqlValue(server.db, sql));
const val = (sql) => sqlValue(server.db, sql);
const person = (login) => num(`SELECT person_id FROM account WHERE login = '${login}'`);
const communityId = (name) => num(`SELECT id FROM org_unit WHERE name = '${name}' AND kind = 'community'`);
const C1 = '望湖东里社区', C3 = '枣林社区';

before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

// An open, visible need of a community that `login` did not raise and does not support.
function openNeed(community, login = 'resident1', skip = []) {
  const p = person(login);
  return num(`SELECT MIN(id) FROM need WHERE status = 'open' AND hidden = 0 AND community_id = ${communityId(community)}
    AND (person_id IS NULL OR person_id <> ${p}) AND id NOT IN (SELECT need_id FROM need_support WHERE person_id = ${p})
    AND id NOT IN (SELECT merged_into FROM need WHERE merged_into IS NOT NULL)
    ${skip.length ? `AND id NOT IN (${skip.join(',')})` : ''}`);
}

async function as(login) {
  const c = server.client();
  await c.login(login);
  return c;
}

test('a verified resident supports a need once, sees the count, and may withdraw the support', async () => {
  const id = openNeed(C1);
  const c = await as('resident1');
  const before = num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`);
  const page = await c.get(`/needs/${id}`);
  assert.match(page.text, new RegExp(`附议 ${before} 人`));
  const res = await c.post(`/needs/${id}/support`);
  assert.equal(res.status, 303);
  assert.equal(num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`), before + 1);
  assert.match((await c.get(`/needs/${id}`)).text, new RegExp(`附议 ${before + 1} 人`));
  assert.equal((await c.get(`/api/v1/needs/${id}`)).json().supports, before + 1);
  const fp = fingerprint(server.db);
  const again = await c.post(`/needs/${id}/support`);
  assert.equal(again.status, 409);
  assert.match(again.text, /已经附议过/);
  assert.equal(fingerprint(server.db), fp);
  assert.equal((await c.post(`/needs/${id}/unsupport`)).status, 303);
  assert.equal(num(`SELECT COUNT(*) FROM need_support WHERE need_id = ${id}`), before);
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE object_id = ${id} AND action IN ('need.support', 'need.unsupport')`), 2);
});

test('supports refused: unverified residents, social units, one\'s own need, no session, no CSRF, closed period', async () => {
  const id = openNeed(C1, 'resident2');
  const unverified = await as('resident2');
  const unit = await as('unit1');
  const resident = await as('resident1');
  const own = num(`SELECT MIN(id) FROM need WHERE person_id = ${person('resident1')} AND status = 'open'`);
  const fp = fingerprint(server.db);
  assert.equal((await unverified.post(`/needs/${id}/support`)).status, 403);
  assert.equal((await unit.post(`/needs/${id}/support`)).status, 403);
  assert.equal((await resident.post(`/needs/${own}/support`)).status, 400);
  const anon = server.client();
  await anon.get('/needs');
  assert.equal((await anon.post(`/needs/${id}/support`)).status, 401);
  assert.equal((await resident.post(`/needs/${id}/support`, {}, { csrf: false })).status, 403);
  assert.equal((await resident.post('/needs/999999/support')).status, 404);
  const saved = val("SELECT id || ':' || needs_start || ':' || needs_end FROM year_cycle ORDER BY id").split('\n');
  sqlValue(server.db, 'UPDATE year_cycle SET needs_start = 0, needs_end = 0');
  try {
    assert.equal((await resident.post(`/needs/${id}/support`)).status, 409);
  } finally {
    for (const row of saved) { const [y, s, e] = row.split(':'); sqlValue(server.db, `UPDATE year_cycle SET needs_start = ${s}, needs_end = ${e} WHERE id = ${y}`); }
  }
  assert.equal(fingerprint(server.db), fp);
});

test('staff see clusters of near-duplicates and merge them: kept, reversible, audited, submitters told', async () => {
  const staff = await as('staff1');
  const page = await staff.get(`/needs/duplicates?community=${communityId(C1)}`);
  assert.equal(page.status, 200);
  const clusters = page.text.split('<form method="post" action="/needs/merge"').slice(1);
  assert.ok(clusters.length >= 1, 'the demo has near-duplicates');
  const cluster = clusters.find((c) => /name="merge" value="\d+" checked/.test(c));
  assert.ok(cluster, 'a cluster with needs to merge');
  const primary = Number(/name="primary" value="(\d+)" checked/.exec(cluster)[1]);
  const others = [...cluster.matchAll(/name="merge" value="(\d+)" checked/g)].map((m) => Number(m[1]));
  assert.ok(others.length >= 1 && !others.includes(primary));
  const primaryBefore = (await staff.get(`/api/v1/needs/${primary}`)).json();
  const peopleBefore = primaryBefore.people;
  const supportsBefore = num('SELECT COUNT(*) FROM need_support');
  const inboxBefore = num('SELECT COUNT(*) FROM inbox_message');

  const fp = fingerprint(server.db);
  const fields = new URLSearchParams({ csrf: staff.csrf, primary: String(primary) });
  for (const o of others) fields.append('merge', String(o));
  // without the confirmation box nothing happens
  const unconfirmed = await staff.request('POST', '/needs/merge', { body: fields.toString(), type: 'application/x-www-form-urlencoded' });
  assert.equal(unconfirmed.status, 400);
  assert.equal(fingerprint(server.db), fp);
  fields.set('confirm', '1');
  const res = await staff.request('POST', '/needs/merge', { body: fields.toString(), type: 'application/x-www-form-urlencoded' });
  assert.equal(res.status, 303, res.text);
  for (const o of others) {
    assert.equal(val(`SELECT status || ':' || merged_into FROM need WHERE id = ${o}`), `merged:${primary}`);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'need.merge' AND object_id = ${o}`), 1);
  }
  assert.equal(num('SELECT COUNT(*) FROM need_support'), supportsBefore, 'every support is kept');
  assert.ok(num('SELECT COUNT(*) FROM inbox_message') > inboxBefore, 'the people behind the merged needs are told');
  const after = (await staff.get(`/api/v1/needs/${primary}`)).json();
  assert.ok(after.people >= peopleBefore, 'the primary counts everyone behind the merged needs');
  assert.equal(after.merged_count, primaryBefore.merged_count + others.length);
  const pp = await staff.get(`/needs/${primary}`);
  assert.match(pp.text, /合并到这里的相似意见/);

  // reversible
  const back = await staff.post(`/needs/${others[0]}/unmerge`, { confirm: '1' });
  assert.equal(back.status, 303);
  assert.equal(val(`SELECT status || ':' || COALESCE(merged_into, 0) FROM need WHERE id = ${others[0]}`), 'open:0');
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'need.unmerge' AND object_id = ${others[0]}`), 1);
});

test('merging refused: residents, another community\'s staff, needs of two communities, no CSRF', async () => {
  const a = openNeed(C1), b = openNeed(C1, 'resident1', [a]), far = openNeed(C3);
  const resident = await as('resident1');
  const staff3 = await as('staff3');
  const staff1 = await as('staff1');
  const street = await as('street');
  const fp = fingerprint(server.db);
  const post = (c, fields, csrf = true) => c.post('/needs/merge', { confirm: '1', ...fields }, { csrf });
  assert.equal((await post(resident, { primary: a, merge: b })).status, 403);
  assert.equal((await post(staff3, { primary: a, merge: b })).status, 403);
  assert.equal((await post(staff1, { primary: a, merge: far })).status, 403, 'staff1 does not reach the third community');
  assert.equal((await post(street, { primary: a, merge: far })).status, 400, 'needs of two communities are not duplicates');
  assert.equal((await post(staff1, { primary: a, merge: b }, false)).status, 403);
  assert.equal((await staff3.get(`/needs/duplicates?community=${communityId(C1)}`)).status, 403);
  assert.equal((await resident.get('/needs/duplicates')).status, 403);
  assert.equal(fingerprint(server.db), fp);
});

test('staff consolidate needs into a draft matter: every source linked, distinct residents counted, people told', async () => {
  const a = openNeed(C1), b = openNeed(C1, 'resident1', [a]);
  const supporter = await as('resident1');
  await supporter.post(`/needs/${a}/support`);
  const staff = await as('staff1');
  const form = await staff.get(`/drafts/new?need=${a}&need=${b}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /整合为拟办实事意向/);
  const inboxBefore = num(`SELECT COUNT(*) FROM inbox_message WHERE person_id = ${person('resident1')} AND need_id = ${a}`);
  const fields = new URLSearchParams({ csrf: staff.csrf, title: '测试整合事项', description: '把两条相近的意见整合为一件实事来办。',
    category: '环境卫生', scope: String(communityId(C1)), cost: '50000', responsible: '社区居委会' });
  fields.append('need', String(a));
  fields.append('need', String(b));
  const res = await staff.request('POST', '/drafts', { body: fields.toString(), type: 'application/x-www-form-urlencoded' });
  assert.equal(res.status, 303, res.text);
  const id = Number(/^\/drafts\/(\d+)/.exec(res.location)[1]);
  assert.equal(val(`SELECT COUNT(*) FROM need WHERE draft_id = ${id} AND status = 'consolidated'`), '2');
  const people = num(`SELECT COUNT(*) FROM (SELECT person_id FROM need WHERE (draft_id = ${id} OR merged_into IN (${a}, ${b})) AND person_id IS NOT NULL
    UNION SELECT s.person_id FROM need_support s JOIN need n ON n.id = s.need_id WHERE n.draft_id = ${id} OR n.merged_into IN (${a}, ${b})) AS x`)
    + num(`SELECT COUNT(*) FROM need WHERE (draft_id = ${id} OR merged_into IN (${a}, ${b})) AND person_id IS NULL`);
  const json = (await staff.get(`/api/v1/drafts/${id}`)).json();
  assert.equal(json.people, people);
  assert.equal(json.needs, 2);
  assert.equal(json.estimated_cost, 50000);
  const page = await staff.get(`/drafts/${id}`);
  assert.match(page.text, new RegExp(`共 ${people} 位居民关注`));
  assert.match(page.text, new RegExp(`href="/needs/${a}"`));
  assert.equal(num(`SELECT COUNT(*) FROM inbox_message WHERE person_id = ${person('resident1')} AND need_id = ${a} AND kind = 'consolidated'`),
    inboxBefore + 1, 'the supporter is told');
  const inbox = await supporter.get('/inbox');
  assert.match(inbox.text, /已纳入拟办实事意向/);
  assert.match(inbox.text, new RegExp(`href="/drafts/${id}"`), 'and can follow it to the draft');
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'draft.create' AND object_id = ${id}`), 1);
});

test('consolidation refused: residents, other communities, decided needs, needs outside the scope, bad input', async () => {
  const a = openNeed(C1), decided = num("SELECT MIN(id) FROM need WHERE status = 'consolidated'"), far = openNeed(C3);
  const resident = await as('resident1');
  const staff1 = await as('staff1');
  const staff3 = await as('staff3');
  const fp = fingerprint(server.db);
  const post = (c, needs, extra = {}, opts) => {
    const f = new URLSearchParams({ csrf: opts?.csrf === false ? '' : c.csrf, title: '事项', description: '事项的说明文字。',
      category: '绿化', scope: String(communityId(C1)), cost: '0', ...extra });
    for (const n of needs) f.append('need', String(n));
    return c.request('POST', '/drafts', { body: f.toString(), type: 'application/x-www-form-urlencoded' });
  };
  assert.equal((await post(resident, [a])).status, 403);
  assert.equal((await post(staff3, [a])).status, 403);
  assert.equal((await post(staff1, [decided])).status, 409);
  assert.equal((await post(staff1, [far])).status, 400, 'a need of another community is outside the scope');
  assert.equal((await post(staff1, [a], { cost: '-5' })).status, 400);
  assert.equal((await post(staff1, [a], { title: '' })).status, 400);
  assert.equal((await post(staff1, [])).status, 400);
  assert.equal((await post(staff1, [a], {}, { csrf: false })).status, 403);
  assert.equal((await resident.get(`/drafts/new?need=${a}`)).status, 403);
  assert.equal(fingerprint(server.db), fp);
});

test('not adopted with a public reason; hidden with a reason in its place; both told; refusals change nothing', async () => {
  const a = openNeed(C1), b = openNeed(C1, 'resident1', [a]);
  const staff = await as('staff1');
  const staff3 = await as('staff3');
  const resident = await as('resident1');
  const fp = fingerprint(server.db);
  assert.equal((await staff3.post(`/needs/${a}/decline`, { reason: '不属于本社区', confirm: '1' })).status, 403);
  assert.equal((await resident.post(`/needs/${a}/decline`, { reason: '不想要了', confirm: '1' })).status, 403);
  assert.equal((await staff.post(`/needs/${a}/decline`, { reason: '', confirm: '1' })).status, 400);
  assert.equal((await staff.post(`/needs/${a}/decline`, { reason: '原因写清楚' })).status, 400, 'confirmation needed');
  assert.equal((await staff.post(`/needs/${a}/hide`, { reason: '原因', confirm: '1' }, { csrf: false })).status, 403);
  assert.equal(fingerprint(server.db), fp);

  const reason = '该路段属于市政道路，已转交区交通委处理。';
  assert.equal((await staff.post(`/needs/${a}/decline`, { reason, confirm: '1' })).status, 303);
  assert.equal(val(`SELECT status FROM need WHERE id = ${a}`), 'declined');
  const pub = await server.client().get(`/needs/${a}`);
  assert.ok(pub.text.includes(reason), 'the reason is public');
  const behind = num(`SELECT COUNT(*) FROM (SELECT person_id FROM need WHERE id = ${a} AND person_id IS NOT NULL
    UNION SELECT person_id FROM need_support WHERE need_id = ${a}) AS x`);
  assert.equal(num(`SELECT COUNT(*) FROM inbox_message WHERE need_id = ${a} AND kind = 'declined'`), behind,
    'the submitter and every supporter are told');
  assert.equal((await staff.post(`/needs/${a}/decline`, { reason, confirm: '1' })).status, 409, 'already decided');
  assert.equal((await staff.post(`/needs/${a}/reopen`)).status, 303);
  assert.equal(val(`SELECT status FROM need WHERE id = ${a}`), 'open');

  const why = '含有他人手机号码';
  assert.equal((await staff.post(`/needs/${b}/hide`, { reason: why, confirm: '1' })).status, 303);
  const hidden = await server.client().get(`/needs/${b}`);
  assert.match(hidden.text, /此条意见已隐藏/);
  assert.ok(hidden.text.includes(why));
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'need.hide' AND object_id = ${b}`), 1);
  assert.equal((await staff.post(`/needs/${b}/unhide`)).status, 303);
  assert.equal(val(`SELECT hidden FROM need WHERE id = ${b}`), '0');
});

test('the submitter withdraws an open need; nobody else can', async () => {
  const c = await as('resident1');
  await c.get('/needs/new');
  const fd = new FormData();
  for (const [k, v] of Object.entries({ title: '想撤回的意见', body: '这是一条稍后会撤回的意见建议。', category: '其他', place: String(communityId(C1)) })) fd.append(k, v);
  const created = await c.postMultipart('/needs', fd);
  const id = Number(/\/needs\/(\d+)/.exec(created.location)[1]);
  const other = await as('delegate1');
  const staff = await as('staff1');
  const fp = fingerprint(server.db);
  assert.equal((await other.post(`/needs/${id}/withdraw`, { confirm: '1' })).status, 403);
  assert.equal((await staff.post(`/needs/${id}/withdraw`, { confirm: '1' })).status, 403);
  assert.equal((await c.post(`/needs/${id}/withdraw`, {})).status, 400, 'confirmation needed');
  assert.equal(fingerprint(server.db), fp);
  assert.equal((await c.post(`/needs/${id}/withdraw`, { confirm: '1' })).status, 303);
  assert.equal(val(`SELECT status FROM need WHERE id = ${id}`), 'withdrawn');
});

test('the accounting page proves every need is accounted for', async () => {
  const c = server.client();
  const page = await c.get('/needs/accounting');
  assert.equal(page.status, 200);
  const total = num('SELECT COUNT(*) FROM need');
  const cell = (fate) => Number(new RegExp(`data-fate="${fate}">(\\d+)<`).exec(page.text)[1]);
  const fates = ['consolidated', 'declined', 'withdrawn', 'open'];
  const sum = fates.reduce((s, f) => s + cell(f), 0);
  assert.equal(sum, total);
  assert.match(page.text, new RegExp(`id="need-total">${total}<`));
  assert.match(page.text, /核对无误/);
  const fate = (f) => num(`SELECT COUNT(*) FROM need n LEFT JOIN need p ON p.id = n.merged_into WHERE COALESCE(p.status, n.status) = '${f}'`);
  for (const f of fates) assert.equal(cell(f), fate(f), f);
  const api = (await c.get('/api/v1/needs/accounting')).json();
  assert.equal(api.total, total);
  assert.equal(api.balanced, true);
  assert.equal(api.merged, num("SELECT COUNT(*) FROM need WHERE status = 'merged'"));
});

test('CSV export for staff: UTF-8 with BOM, masked names outside their reach; refused to residents', async () => {
  const staff = await as('staff1');
  const res = await fetch(`${server.base}/needs/export.csv`, { headers: { cookie: staff.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.trim().split('\r\n');
  assert.match(lines[0], /^"编号","标题"/);
  assert.ok(lines.length > num('SELECT COUNT(*) FROM need') * 0.9);
  // a need of the third community: staff1 sees its submitter masked
  const far = num(`SELECT MIN(id) FROM need WHERE community_id = ${communityId(C3)} AND person_id IS NOT NULL AND show_name = 0`);
  const name = val(`SELECT p.name FROM need n JOIN person p ON p.id = n.person_id WHERE n.id = ${far}`);
  const row = lines.find((l) => l.startsWith(`"${far}",`));
  assert.ok(row && !row.includes(`"${name}"`) && row.includes(`"${name[0]}*`), row);
  const resident = await as('resident1');
  assert.equal((await resident.get('/needs/export.csv')).status, 403);
  const anon = await server.client().get('/needs/export.csv');
  assert.equal(anon.status, 303);
});

test('the inbox tells each person, and the daily digest groups a day into one entry', async () => {
  const c = await as('resident1');
  const page = await c.get('/inbox');
  assert.equal(page.status, 200);
  const mine = num(`SELECT COUNT(*) FROM inbox_message WHERE person_id = ${person('resident1')}`);
  assert.ok(mine >= 1);
  assert.equal((page.text.match(/class="inbox-entry/g) || []).length, Math.min(mine, 30));
  const fp = fingerprint(server.db);
  assert.equal((await c.post('/inbox/settings', { digest: '1' }, { csrf: false })).status, 403);
  assert.equal(fingerprint(server.db), fp);
  assert.equal((await c.post('/inbox/settings', { digest: '1' })).status, 303);
  const days = num(`SELECT COUNT(DISTINCT (created_at + 28800) / 86400) FROM inbox_message WHERE person_id = ${person('resident1')}`);
  const digest = await c.get('/inbox');
  assert.equal((digest.text.match(/class="inbox-entry digest/g) || []).length, days);
  assert.match(digest.text, /的消息汇总/);
  assert.equal((await c.post('/inbox/read')).status, 303);
  assert.equal(num(`SELECT COUNT(*) FROM inbox_message WHERE person_id = ${person('resident1')} AND read_at IS NULL`), 0);
  assert.equal((await server.client().get('/inbox')).status, 303);
});
