// Searching needs and drafts in Chinese: a query finds exactly the needs
// that contain it (1- and 2-character queries too), an exact title ranks
// first, filters and pagination, the same results as JSON, and similar
// needs for a text being written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue } from '../lib/server.mjs';

let server;
const num = (sql) => Number(sqlValue(server.db, sql));
const ids = (sql) => sqlValue(server.db, sql).split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);

before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

// Every id the API returns for a query, page by page.
async function searchAll(query, extra = '') {
  const c = server.client();
  const found = [];
  for (let page = 1; ; page++) {
    const res = await c.get(`/api/v1/needs?q=${encodeURIComponent(query)}${extra}&page=${page}`);
    assert.equal(res.status, 200);
    const body = res.json();
    found.push(...body.items.map((n) => n.id));
    if (page * body.per_page >= body.total) {
      assert.equal(found.length, body.total);
      return found.sort((a, b) => a - b);
    }
  }
}

const containing = (text) =>
  ids(`SELECT id FROM need WHERE hidden = 0 AND (title LIKE '%${text}%' OR body LIKE '%${text}%')`);

test('电梯 finds every visible need containing it, and only those', async () => {
  const want = containing('电梯');
  assert.ok(want.length >= 10, 'the demo has lift needs');
  assert.deepEqual(await searchAll('电梯'), want);
});

test('a need with 电 and 梯 apart does not match 电梯, but matches 梯 and 电', async () => {
  const apart = ids("SELECT id FROM need WHERE hidden = 0 AND body LIKE '%电%' AND body LIKE '%梯%' " +
    "AND body NOT LIKE '%电梯%' AND title NOT LIKE '%电梯%'");
  assert.ok(apart.length > 0, 'the demo has needs about e-bikes in the stairwell');
  const lift = new Set(await searchAll('电梯'));
  for (const id of apart) assert.ok(!lift.has(id), `need ${id} has 电 and 梯 apart`);
  const ti = await searchAll('梯');
  assert.deepEqual(ti, containing('梯'));
  for (const id of apart) assert.ok(ti.includes(id));
});

test('two-character and multi-part queries: 停车, and 停车 with 消防 both required', async () => {
  assert.deepEqual(await searchAll('停车'), containing('停车'));
  const both = ids("SELECT id FROM need WHERE hidden = 0 AND (title || ' ' || body) LIKE '%停车%' AND (title || ' ' || body) LIKE '%消防%'");
  assert.deepEqual(await searchAll('停车 消防'), both);
});

test("searching a need's exact title ranks it first", async () => {
  const c = server.client();
  const rows = sqlValue(server.db, "SELECT id || '|' || title FROM need WHERE hidden = 0 AND status = 'open' ORDER BY id LIMIT 40")
    .split('\n').map((l) => l.split('|'));
  const seen = new Set();
  for (const [id, title] of rows) {
    if (seen.has(title)) continue;
    seen.add(title);
    const body = (await c.get(`/api/v1/needs?q=${encodeURIComponent(title)}`)).json();
    assert.equal(body.items[0].title, title, `"${title}" is first`);
    // many needs share a demo title: the first is one of them
    assert.ok(ids(`SELECT id FROM need WHERE title = '${title}'`).includes(body.items[0].id), id);
  }
});

test('search syntax in the query is only text', async () => {
  const c = server.client();
  for (const q of ['"', 'OR', '电梯 OR 停车', 'title:电梯', '*', 'NEAR(电梯 停车)', "'; DROP TABLE need; --", '^电梯']) {
    const res = await c.get(`/api/v1/needs?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
  }
  assert.ok(num('SELECT COUNT(*) FROM need') > 400);
  const punct = (await c.get(`/api/v1/needs?q=${encodeURIComponent('！？。')}`)).json();
  assert.equal(punct.total, 0, 'nothing searchable: no results');
});

test('filters: category, community, status, dates; with and without a query', async () => {
  const comm = num("SELECT id FROM org_unit WHERE name = '枣林社区'");
  const want = ids(`SELECT id FROM need WHERE hidden = 0 AND category = '停车' AND community_id = ${comm} AND (title LIKE '%车%' OR body LIKE '%车%')`);
  assert.deepEqual(await searchAll('车', `&category=${encodeURIComponent('停车')}&community=${comm}`), want);
  const c = server.client();
  const declined = (await c.get('/api/v1/needs?status=declined')).json();
  assert.equal(declined.total, num("SELECT COUNT(*) FROM need WHERE status = 'declined'"));
  assert.ok(declined.items.every((n) => n.status === 'declined' && n.decline_reason));
  const future = (await c.get('/api/v1/needs?from=2100-01-01')).json();
  assert.equal(future.total, 0);
  const all = (await c.get('/api/v1/needs?from=2000-01-01&to=2100-12-31')).json();
  assert.equal(all.total, num('SELECT COUNT(*) FROM need'));
  for (const bad of ['status=nope', 'from=2024-02-30', 'community=abc', 'page=0', 'q=' + 'x'.repeat(101)]) {
    const res = await c.get(`/api/v1/needs?${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(res.json().error.status, 400);
  }
});

test('the /needs page lists, searches and pages with the same filters', async () => {
  const c = server.client();
  const page1 = await c.get('/needs');
  assert.equal(page1.status, 200);
  assert.equal((page1.text.match(/class="need-card/g) || []).length, 20);
  assert.match(page1.text, /rel="next"/);
  const total = num('SELECT COUNT(*) FROM need');
  assert.match(page1.text, new RegExp(`共 ${total} 条`));
  const last = await c.get(`/needs?page=${Math.ceil(total / 20)}`);
  assert.equal((last.text.match(/class="need-card/g) || []).length, total % 20 || 20);
  const search = await c.get(`/needs?q=${encodeURIComponent('电梯')}&page=2`);
  assert.match(search.text, new RegExp(`共 ${containing('电梯').length} 条`));
  assert.match(search.text, /value="电梯"/);
  assert.match(search.text, /q=%E7%94%B5%E6%A2%AF&amp;page=1/, 'the pager keeps the query');
});

test('drafts are searchable, with their source needs in JSON', async () => {
  const c = server.client();
  const all = (await c.get('/api/v1/drafts')).json();
  assert.equal(all.total, num('SELECT COUNT(*) FROM draft'));
  assert.ok(all.total >= 10);
  const title = sqlValue(server.db, 'SELECT title FROM draft ORDER BY id LIMIT 1');
  const found = (await c.get(`/api/v1/drafts?q=${encodeURIComponent(title)}`)).json();
  assert.equal(found.items[0].title, title);
  const one = (await c.get(`/api/v1/drafts/${found.items[0].id}`)).json();
  assert.equal(one.sources.length, num(`SELECT COUNT(*) FROM need WHERE draft_id = ${one.id}`));
  assert.ok(one.sources.every((n) => n.status === 'consolidated' && n.draft_id === one.id));
  const page = await c.get(`/drafts?q=${encodeURIComponent(title)}`);
  assert.ok(page.text.includes(title));
  assert.equal((await c.get('/api/v1/drafts/999999')).status, 404);
});

test('similar needs for a text being written: up to five open ones, lift needs for a lift text', async () => {
  const c = server.client();
  const text = '电梯经常坏\n我们楼的电梯这个月坏了好几次，还关过人，希望物业彻底检修。';
  const body = (await c.get(`/api/v1/needs/similar?text=${encodeURIComponent(text)}`)).json();
  assert.ok(body.items.length >= 1 && body.items.length <= 5);
  assert.ok(body.items.every((n) => n.status === 'open' && /电梯/.test(n.title + n.body)));
  const none = (await c.get(`/api/v1/needs/similar?text=${encodeURIComponent('完全无关的内容：月球基地天气')}`)).json();
  assert.equal(none.items.length, 0);
  assert.equal((await c.get('/api/v1/needs/similar')).status, 400);
});

test('hidden needs: shown as a notice in their place, their text found by no search', async () => {
  const id = num('SELECT id FROM need WHERE hidden = 1 ORDER BY id LIMIT 1');
  const title = sqlValue(server.db, `SELECT title FROM need WHERE id = ${id}`);
  const reason = sqlValue(server.db, `SELECT hidden_reason FROM need WHERE id = ${id}`);
  const c = server.client();
  const page = await c.get(`/needs/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /此条意见已隐藏/);
  assert.ok(page.text.includes(reason));
  const body = sqlValue(server.db, `SELECT body FROM need WHERE id = ${id}`);
  assert.ok(!page.text.includes(body));
  const api = (await c.get(`/api/v1/needs/${id}`)).json();
  assert.equal(api.title, null);
  assert.equal(api.hidden_reason, reason);
  assert.ok(!(await searchAll(title)).includes(id));
});

test('street staff configure the category list; others may not; a bad list changes nothing', async () => {
  const street = server.client();
  await street.login('street');
  assert.match((await street.get('/needs')).text, /href="\/needs\/categories"/);
  const form = await street.get('/needs/categories');
  assert.equal(form.status, 200);
  assert.match(form.text, /环境卫生\n道路交通/);
  const staff = server.client();
  await staff.login('staff1');
  assert.equal((await staff.get('/needs/categories')).status, 403);
  assert.equal((await staff.post('/needs/categories', { names: '一\n二' })).status, 403);
  assert.equal((await street.post('/needs/categories', { names: '重复\n重复' })).status, 400);
  assert.equal((await street.post('/needs/categories', { names: '超过十二个字的类别名称太长了吧' })).status, 400);
  assert.equal(num('SELECT COUNT(*) FROM need_category'), 0);
  assert.equal((await street.post('/needs/categories', { names: '环境卫生\n停车\n加装电梯\n其他' })).status, 303);
  assert.equal(sqlValue(server.db, 'SELECT name FROM need_category ORDER BY position').split('\n').join(','), '环境卫生,停车,加装电梯,其他');
  assert.match((await street.get('/needs/new')).text, /<option value="加装电梯">/);
  assert.equal(num("SELECT COUNT(*) FROM audit_log WHERE action = 'need.categories'"), 1);
});
