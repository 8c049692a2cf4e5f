// Questionnaires from the staff side: building one from every kind of
// question, publishing (after which the questions are fixed), paper codes,
// the poster with its QR code, results charts, the CSV export and turning a
// free-text answer into a need.  Every refusal gets its sentence and leaves
// the database exactly as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num, sentence } from './admin-common.mjs';

let server, ids, demoSurvey;
const clients = {};
before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  demoSurvey = num(server.db, "SELECT id FROM survey WHERE state = 'published' ORDER BY id LIMIT 1");
  for (const login of ['street', 'staff1', 'staff2', 'resident1']) {
    clients[login] = server.client();
    await clients[login].login(login);
  }
});
after(async () => { await server.stop(); });

async function refusedUnchanged(act, status, why) {
  const before = fingerprint(server.db);
  const res = await act();
  assert.equal(res.status, status, res.text.slice(0, 400));
  if (why) assert.match(sentence(res.text), why);
  assert.equal(fingerprint(server.db), before, 'a refusal changed nothing');
  return res;
}

// Creates a draft through the form and returns its id.
async function createDraft(c, unit, title = '社区停车问题调查') {
  const res = await c.post('/surveys/new', { title, intro: '请如实填写。', unit: String(unit) });
  assert.equal(res.status, 303, res.text.slice(0, 400));
  const m = /^\/surveys\/(\d+)\/edit$/.exec(res.location);
  assert.ok(m, res.location);
  return Number(m[1]);
}

const questionCount = (id) => num(server.db, `SELECT COUNT(*) FROM survey_question WHERE survey_id = ${id}`);

test('staff build a questionnaire from every kind of question and publish it', async () => {
  const c = clients.staff1;
  const form = await c.get('/surveys/new');
  assert.equal(form.status, 200);
  assert.match(form.text, /望湖东里社区/);
  assert.doesNotMatch(form.text, /望湖西里社区/, 'only the communities staff1 reaches are offered');
  const id = await createDraft(c, ids.community1);
  assert.equal(q(server.db, `SELECT state || '/' || unit_id FROM survey WHERE id = ${id}`), `draft/${ids.community1}`);
  const questions = [
    { kind: 'single', prompt: '您家有几辆车？', options: '没有\n1辆\n2辆及以上', required: '1' },
    { kind: 'multiple', prompt: '您在哪些时段停车困难？', options: '早上\n白天\n晚上' },
    { kind: 'scale', prompt: '您对目前的停车秩序满意吗？', required: '1' },
    { kind: 'ranking', prompt: '请为下列办法排序', options: '错时停车\n立体车库\n划线车位', required: '1' },
    { kind: 'text', prompt: '其他建议' },
  ];
  for (const question of questions) {
    const res = await c.post(`/surveys/${id}/questions`, question);
    assert.equal(res.status, 303, res.text.slice(0, 400));
  }
  assert.equal(questionCount(id), 5);
  assert.equal(num(server.db, `SELECT COUNT(*) FROM survey_option o JOIN survey_question s ON s.id = o.question_id
    WHERE s.survey_id = ${id}`), 9);
  assert.equal(q(server.db, `SELECT kind FROM survey_question WHERE survey_id = ${id} ORDER BY position`)
    .split('\n').join(','), 'single,multiple,scale,ranking,text');
  // Moving the last question up swaps it with the one above.
  const last = num(server.db, `SELECT id FROM survey_question WHERE survey_id = ${id} AND position = 5`);
  assert.equal((await c.post(`/surveys/${id}/questions/${last}/move`, { dir: 'up' })).status, 303);
  assert.equal(num(server.db, `SELECT position FROM survey_question WHERE id = ${last}`), 4);
  await c.post(`/surveys/${id}/questions/${last}/move`, { dir: 'down' });
  // The draft is not public yet.
  assert.equal((await server.client().get(`/surveys/${id}`)).status, 404);
  const publish = await c.post(`/surveys/${id}/publish`, { confirm: '1' });
  assert.equal(publish.status, 303);
  assert.equal(q(server.db, `SELECT state FROM survey WHERE id = ${id}`), 'published');
  const page = await server.client().get(`/surveys/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /您对目前的停车秩序满意吗/);
  assert.match(page.text, /name="q\d+_\d+"/, 'ranking selects');
  const audit = q(server.db, `SELECT action FROM audit_log WHERE object_type = 'survey' AND object_id = ${id} ORDER BY id`)
    .split('\n').join(',');
  assert.match(audit, /survey\.create.*survey\.question_add.*survey\.question_move.*survey\.publish/);
});

test('bad questions are refused with a sentence and change nothing', async () => {
  const c = clients.staff1;
  const id = await createDraft(c, ids.community1, '草稿问卷');
  await c.get(`/surveys/${id}/edit`);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`, { kind: 'single', prompt: '只有一个选项', options: '唯一' }),
    400, /需要2–12个选项/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`, { kind: 'multiple', prompt: '重复', options: '甲\n甲' }),
    400, /选项不能重复/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '' }), 400, /请填写题目/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`, { kind: 'essay', prompt: '题型不存在' }), 400, /请选择题型/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`,
    { kind: 'ranking', prompt: '太多', options: Array.from({ length: 13 }, (_, i) => `选项${i}`).join('\n') }),
  400, /需要2–12个选项/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/publish`, { confirm: '1' }), 400, /还没有题目/);
  await refusedUnchanged(() => c.post('/surveys/new', { title: '', unit: String(ids.community1) }), 400, /请填写问卷标题/);
});

test('a published questionnaire\'s questions can no longer change', async () => {
  const c = clients.staff1;
  const id = await createDraft(c, ids.community1, '即将发布');
  await c.post(`/surveys/${id}/questions`, { kind: 'scale', prompt: '满意度', required: '1' });
  await refusedUnchanged(() => c.post(`/surveys/${id}/publish`, {}), 400, /请勾选“我已确认”/);
  assert.equal((await c.post(`/surveys/${id}/publish`, { confirm: '1' })).status, 303);
  const qid = num(server.db, `SELECT id FROM survey_question WHERE survey_id = ${id}`);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '再加一题' }), 409,
    /题目不能再修改/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions/${qid}/delete`), 409, /题目不能再修改/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/questions/${qid}/move`, { dir: 'up' }), 409, /题目不能再修改/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/edit`, { title: '改标题' }), 409, /题目不能再修改/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/publish`, { confirm: '1' }), 409, /题目不能再修改/);
  // Closing needs the confirmation too, and then the questionnaire takes no answers.
  await refusedUnchanged(() => c.post(`/surveys/${id}/close`, {}), 400, /请勾选/);
  assert.equal((await c.post(`/surveys/${id}/close`, { confirm: '1' })).status, 303);
  assert.equal(q(server.db, `SELECT state FROM survey WHERE id = ${id}`), 'closed');
  await refusedUnchanged(() => c.post(`/surveys/${id}/close`, { confirm: '1' }), 409, /不在征集中/);
});

test('deleting a draft question asks first, then closes the gap', async () => {
  const c = clients.staff1;
  const id = await createDraft(c, ids.community1, '删除测试');
  await c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '第一题' });
  await c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '第二题' });
  const first = num(server.db, `SELECT id FROM survey_question WHERE survey_id = ${id} AND position = 1`);
  const confirm = await c.get(`/surveys/${id}/questions/${first}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /确定删除第1题“第一题”吗/);
  assert.equal(questionCount(id), 2, 'asking deletes nothing');
  assert.equal((await c.post(`/surveys/${id}/questions/${first}/delete`)).status, 303);
  assert.equal(q(server.db, `SELECT prompt || '@' || position FROM survey_question WHERE survey_id = ${id}`), '第二题@1');
});

test('no session, wrong role, wrong community and missing CSRF are refused and change nothing', async () => {
  const anonymous = server.client();
  await anonymous.get('/surveys');
  const login = await anonymous.get('/surveys/new');
  assert.equal(login.status, 303);
  assert.match(login.location, /^\/login\?next=/);
  await refusedUnchanged(() => anonymous.post('/surveys/new', { title: '匿名', unit: String(ids.community1) }), 401, /请先登录/);
  // A resident cannot build a questionnaire.
  const resident = clients.resident1;
  assert.equal((await resident.get('/surveys/new')).status, 403);
  await refusedUnchanged(() => resident.post('/surveys/new', { title: '居民问卷', unit: String(ids.community1) }), 403,
    /没有权限/);
  // staff1 cannot scope a questionnaire to community 2, nor to the whole street.
  await refusedUnchanged(() => clients.staff1.post('/surveys/new', { title: '越权', unit: String(ids.community2) }), 403,
    /没有权限/);
  await refusedUnchanged(() => clients.staff1.post('/surveys/new', { title: '越权', unit: String(ids.street) }), 403,
    /没有权限/);
  // staff1 cannot edit community 2's questionnaire.
  const other = await createDraft(clients.staff2, ids.community2, '望湖西里问卷');
  await clients.staff2.post(`/surveys/${other}/questions`, { kind: 'text', prompt: '建议' });
  const qid = num(server.db, `SELECT id FROM survey_question WHERE survey_id = ${other}`);
  assert.equal((await clients.staff1.get(`/surveys/${other}/edit`)).status, 403);
  await refusedUnchanged(() => clients.staff1.post(`/surveys/${other}/questions`, { kind: 'text', prompt: '插一题' }), 403,
    /没有权限/);
  await refusedUnchanged(() => clients.staff1.post(`/surveys/${other}/edit`, { title: '改名' }), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff1.post(`/surveys/${other}/questions/${qid}/delete`), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff1.post(`/surveys/${other}/publish`, { confirm: '1' }), 403, /没有权限/);
  await refusedUnchanged(() => clients.staff1.post(`/surveys/${other}/codes`, { count: '5' }), 403, /没有权限/);
  assert.equal((await clients.staff1.get(`/surveys/${other}/export.csv`)).status, 403);
  // Missing CSRF token.
  await refusedUnchanged(() => clients.staff2.post(`/surveys/${other}/publish`, { confirm: '1' }, { csrf: false }), 403,
    /表单已过期/);
  await refusedUnchanged(() => clients.staff1.post('/surveys/new', { title: '无令牌', unit: String(ids.community1) },
    { csrf: false }), 403, /表单已过期/);
  // Street staff reach every community.
  assert.equal((await clients.street.get(`/surveys/${other}/edit`)).status, 200);
});

test('paper codes come in printable batches of unambiguous characters', async () => {
  const c = clients.staff1;
  const id = await createDraft(c, ids.community1, '纸质答题码');
  const res = await c.post(`/surveys/${id}/codes`, { count: '12' });
  assert.equal(res.status, 303);
  assert.match(res.location, new RegExp(`^/surveys/${id}/codes\\?batch=1$`));
  const codes = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${id}`).split('\n');
  assert.equal(codes.length, 12);
  for (const code of codes) assert.match(code, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  assert.equal(new Set(codes).size, 12);
  const page = await c.get(res.location);
  assert.equal(page.status, 200);
  for (const code of codes) assert.ok(page.text.includes(code));
  assert.match(page.text, /共 12 个答题码，已使用 0 个/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/codes`, { count: '0' }), 400, /每批可生成1–500个答题码/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/codes`, { count: '501' }), 400, /每批可生成1–500个答题码/);
  await refusedUnchanged(() => c.post(`/surveys/${id}/codes`, { count: 'many' }), 400, /每批可生成1–500个答题码/);
  assert.equal((await clients.resident1.get(`/surveys/${id}/codes`)).status, 403);
});

test('the poster carries the questionnaire address as an inline SVG QR code', async () => {
  const res = await server.client().get(`/surveys/${demoSurvey}/poster`);
  assert.equal(res.status, 200);
  const svg = /<svg class="qr" viewBox="0 0 (\d+) \1"[^>]*>.*?<path d="([^"]+)"/.exec(res.text);
  assert.ok(svg, 'an inline SVG QR code');
  assert.match(svg[2], /^M4 4h7v1h-7z/, 'the finder pattern, inside the quiet zone');
  assert.match(res.text, new RegExp(`/surveys/${demoSurvey}</p>`));
  assert.doesNotMatch(res.text, /<script|<img/);
  assert.match(res.headers.get('content-security-policy'), /script-src 'self'/);
});

test('results draw server-side SVG charts for every kind of question', async () => {
  const res = await server.client().get(`/surveys/${demoSurvey}/results`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<svg class="chart chart-bars"/);
  assert.match(res.text, /<svg class="chart chart-distribution"/);
  assert.match(res.text, /<svg class="chart chart-ranking"/);
  assert.match(res.text, /已收到 150 份答卷/);
  // The figures match the database: the first option of the first question.
  const first = q(server.db, `SELECT o.label || '|' || (SELECT COUNT(*) FROM survey_answer a WHERE a.option_id = o.id)
    FROM survey_option o JOIN survey_question s ON s.id = o.question_id WHERE s.survey_id = ${demoSurvey}
    ORDER BY s.position, o.position LIMIT 1`).split('|');
  assert.match(res.text, new RegExp(`>${first[0]}</text><rect[^>]*/><text[^>]*>${first[1]} \\(`));
  // Free text is for staff: the public sees no answers, street staff do.
  assert.doesNotMatch(res.text, /class="text-answers"/);
  const staff = await clients.street.get(`/surveys/${demoSurvey}/results`);
  assert.match(staff.text, /class="text-answers"/);
  assert.match(staff.text, /转为意见建议/);
});

test('the CSV export has a BOM, a header and one row per response', async () => {
  const res = await clients.street.get(`/surveys/${demoSurvey}/export.csv`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="survey-\d+\.csv"/);
  const bytes = Buffer.from(await (await fetch(server.base + `/surveys/${demoSurvey}/export.csv`,
    { headers: { cookie: clients.street.cookieHeader() } })).arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines[0], /^"答卷编号","提交时间","方式","1\. /);
  const responses = num(server.db, `SELECT COUNT(*) FROM survey_response WHERE survey_id = ${demoSurvey}`);
  assert.equal(lines.length, responses + 1);
  // staff1 reaches community 1 only; the demo questionnaire asks the whole street.
  assert.equal((await clients.staff1.get(`/surveys/${demoSurvey}/export.csv`)).status, 403);
  assert.equal((await server.client().get(`/surveys/${demoSurvey}/export.csv`)).status, 303);
});

test('a free-text answer becomes a need that keeps its link, once', async () => {
  const answer = num(server.db, `SELECT a.id FROM survey_answer a JOIN survey_question s ON s.id = a.question_id
    WHERE s.survey_id = ${demoSurvey} AND s.kind = 'text' ORDER BY a.id LIMIT 1`);
  const c = clients.street;
  const form = await c.get(`/surveys/${demoSurvey}/answers/${answer}/need`);
  assert.equal(form.status, 200);
  const category = /<option>([^<]+)<\/option>/.exec(form.text)[1];
  // A resident may not; a too-short title is refused in place.
  await refusedUnchanged(() => clients.resident1.post(`/surveys/${demoSurvey}/answers/${answer}/need`,
    { title: '路灯', body: '路灯坏了很久了', category }), 403);
  await refusedUnchanged(() => c.post(`/surveys/${demoSurvey}/answers/${answer}/need`,
    { title: '灯', body: '路灯坏了很久了', category }), 400, /标题需要2–60个字/);
  const needsBefore = num(server.db, 'SELECT COUNT(*) FROM need');
  const res = await c.post(`/surveys/${demoSurvey}/answers/${answer}/need`,
    { title: '修好坏了的路灯', body: '路灯坏了两个多月，晚上出门不安全。', category, unit: String(ids.community1) });
  assert.equal(res.status, 303, sentence(res.text));
  const needId = Number(/^\/needs\/(\d+)$/.exec(res.location)[1]);
  assert.equal(num(server.db, 'SELECT COUNT(*) FROM need'), needsBefore + 1);
  assert.equal(q(server.db, `SELECT channel || '/' || answer_id || '/' || community_id FROM need WHERE id = ${needId}`),
    `questionnaire/${answer}/${ids.community1}`);
  const respondent = q(server.db, `SELECT COALESCE(r.person_id, 0) FROM survey_answer a JOIN survey_response r
    ON r.id = a.response_id WHERE a.id = ${answer}`);
  if (respondent !== '0') assert.equal(q(server.db, `SELECT person_id FROM need WHERE id = ${needId}`), respondent);
  const results = await c.get(`/surveys/${demoSurvey}/results`);
  assert.match(results.text, new RegExp(`href="/needs/${needId}">已转为意见建议 #${needId}`));
  await refusedUnchanged(() => c.post(`/surveys/${demoSurvey}/answers/${answer}/need`,
    { title: '再转一次', body: '同一条回答不能转两次。', category }), 409, /已经转为意见建议/);
  // An answer that is not free text is not offered.
  const choice = num(server.db, `SELECT a.id FROM survey_answer a JOIN survey_question s ON s.id = a.question_id
    WHERE s.survey_id = ${demoSurvey} AND s.kind = 'single' LIMIT 1`);
  assert.equal((await c.get(`/surveys/${demoSurvey}/answers/${choice}/need`)).status, 404);
});

test('the public list shows published questionnaires, staff also their drafts', async () => {
  const draft = await createDraft(clients.staff1, ids.community1, '列表里的草稿');
  const anon = await server.client().get('/surveys');
  assert.equal(anon.status, 200);
  assert.match(anon.text, /公共服务需求调查/);
  assert.doesNotMatch(anon.text, /列表里的草稿/);
  const staff = await clients.staff1.get('/surveys');
  assert.match(staff.text, new RegExp(`href="/surveys/${draft}/edit">列表里的草稿`));
  const staff2 = await clients.staff2.get('/surveys');
  assert.doesNotMatch(staff2.text, /列表里的草稿/, 'another community\'s drafts stay hidden');
});

test('the CSV export defuses answers a spreadsheet would run as formulas', async () => {
  const c = clients.street;
  const res = await c.post('/surveys/new', { title: '导出测试', unit: String(ids.street) });
  const id = Number(/\/surveys\/(\d+)\/edit/.exec(res.location)[1]);
  await c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '建议', required: '1' });
  await c.post(`/surveys/${id}/codes`, { count: '1' });
  await c.post(`/surveys/${id}/publish`, { confirm: '1' });
  const qid = num(server.db, `SELECT id FROM survey_question WHERE survey_id = ${id}`);
  const code = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${id}`);
  const anon = server.client();
  await anon.get(`/surveys/${id}`);
  const answered = await anon.post(`/surveys/${id}`, { code, [`q${qid}`]: '=HYPERLINK("http://x","点我"),再说' });
  assert.equal(answered.status, 303, sentence(answered.text));
  const csv = await c.get(`/surveys/${id}/export.csv`);
  const row = csv.text.trim().split('\r\n')[1];
  assert.match(row, /,"纸质答题码","'=HYPERLINK\(""http:\/\/x"",""点我""\),再说"$/);
});
