// Answering questionnaires: one response per verified resident or per paper
// code, every answer checked against its question, and every refusal
// answered with a sentence that names the problem while nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { fingerprint, demoIds, q, num, sentence } from './admin-common.mjs';

let server, ids, survey, questions;
const clients = {};

// The demo questionnaire's questions in order: id, kind and option ids.
function loadQuestions(id) {
  return q(server.db, `SELECT id, kind FROM survey_question WHERE survey_id = ${id} ORDER BY position`)
    .split('\n').map((row) => {
      const [qid, kind] = row.split('|');
      const options = q(server.db, `SELECT id FROM survey_option WHERE question_id = ${qid} ORDER BY position`)
        .split('\n').filter(Boolean).map(Number);
      return { id: Number(qid), kind, options };
    });
}

before(async () => {
  server = await startServer();
  ids = demoIds(server.db);
  survey = num(server.db, "SELECT id FROM survey WHERE state = 'published' ORDER BY id LIMIT 1");
  questions = loadQuestions(survey);
  assert.deepEqual(questions.map((x) => x.kind), ['single', 'multiple', 'scale', 'ranking', 'text']);
  for (const login of ['street', 'staff1', 'staff2', 'resident1', 'resident2']) {
    clients[login] = server.client();
    await clients[login].login(login);
  }
});
after(async () => { await server.stop(); });

// A complete, valid response to the demo questionnaire, with overrides.
function answers(change = {}) {
  const [single, multiple, scale, ranking, text] = questions;
  const fields = {
    [`q${single.id}`]: String(single.options[1]),
    [`q${multiple.id}`]: [String(multiple.options[0]), String(multiple.options[2])],
    [`q${scale.id}`]: '4',
    [`q${text.id}`]: '希望多组织社区活动。',
  };
  ranking.options.forEach((o, i) => { fields[`q${ranking.id}_${o}`] = String(i + 1); });
  return { ...fields, ...change };
}

// Posts fields where arrays become repeated keys (checkboxes).
async function submit(c, id, fields, options) {
  await c.get(`/surveys/${id}`);
  if (!c.csrf) await c.get('/login');   // a closed questionnaire's page has no form to take the token from
  const flat = [];
  for (const [k, v] of Object.entries(fields)) for (const one of [].concat(v)) if (one !== undefined) flat.push([k, one]);
  const form = new URLSearchParams();
  if (!options?.noCsrf && c.csrf) form.set('csrf', c.csrf);
  for (const [k, v] of flat) form.append(k, v);
  return c.request('POST', `/surveys/${id}`, { body: form.toString(), type: 'application/x-www-form-urlencoded' });
}

async function refusedUnchanged(act, status, why) {
  const before = fingerprint(server.db);
  const res = await act();
  assert.equal(res.status, status, res.text.slice(0, 400));
  assert.match(sentence(res.text), why);
  assert.equal(fingerprint(server.db), before, 'a refusal changed nothing');
  return res;
}

const responses = () => num(server.db, `SELECT COUNT(*) FROM survey_response WHERE survey_id = ${survey}`);

test('the answer page shows every question; a verified resident needs no code', async () => {
  const page = await clients.resident1.get(`/surveys/${survey}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /无需填写答题码/);
  for (const x of questions) assert.match(page.text, new RegExp(`name="q${x.id}`));
  const anon = await server.client().get(`/surveys/${survey}`);
  assert.match(anon.text, /纸质答题码/);
});

test('no session and no code: refused, nothing stored', async () => {
  await refusedUnchanged(() => submit(server.client(), survey, answers()), 401, /请先登录，或填写纸质答题码/);
});

test('missing CSRF token: refused, nothing stored', async () => {
  await refusedUnchanged(() => submit(clients.resident1, survey, answers(), { noCsrf: true }), 403, /表单已过期/);
});

test('an unverified resident cannot answer with the account', async () => {
  await refusedUnchanged(() => submit(clients.resident2, survey, answers()), 403, /尚未经社区核实/);
});

test('a required question left blank names the question', async () => {
  const [single, multiple, , ranking] = questions;
  await refusedUnchanged(() => submit(clients.resident1, survey, answers({ [`q${single.id}`]: undefined })), 400,
    /第1题是必答题/);
  await refusedUnchanged(() => submit(clients.resident1, survey, answers({ [`q${multiple.id}`]: undefined })), 400,
    /第2题是必答题/);
  const blankRanking = answers();
  for (const o of ranking.options) delete blankRanking[`q${ranking.id}_${o}`];
  await refusedUnchanged(() => submit(clients.resident1, survey, blankRanking), 400, /第4题是必答题/);
});

test('an out-of-range or malformed scale value is refused', async () => {
  const scale = questions[2];
  for (const bad of ['6', '0', '-1', '3.5', 'five']) {
    await refusedUnchanged(() => submit(clients.resident1, survey, answers({ [`q${scale.id}`]: bad })), 400,
      /第3题请选择1到5分/);
  }
  await refusedUnchanged(() => submit(clients.resident1, survey, answers({ [`q${scale.id}`]: ['3', '4'] })), 400,
    /第3题请选择1到5分/);
});

test('a ranking that is not a permutation is refused', async () => {
  const ranking = questions[3];
  const [a, b, c, d] = ranking.options.map((o) => `q${ranking.id}_${o}`);
  const cases = [
    { [a]: '1', [b]: '1', [c]: '2', [d]: '3' },   // a rank twice
    { [a]: '1', [b]: '2', [c]: '3', [d]: '5' },   // a rank beyond n
    { [a]: '0', [b]: '1', [c]: '2', [d]: '3' },   // rank 0
    { [a]: '1', [b]: '2', [c]: '3', [d]: undefined },   // an option left out
    { [a]: 'x', [b]: '2', [c]: '3', [d]: '4' },   // not a number
  ];
  for (const change of cases)
    await refusedUnchanged(() => submit(clients.resident1, survey, answers(change)), 400, /第4题请为每一项选择一个名次/);
});

test('choices must be options of their own question, one for single choice', async () => {
  const [single, multiple, , ranking] = questions;
  await refusedUnchanged(() => submit(clients.resident1, survey,
    answers({ [`q${single.id}`]: [String(single.options[0]), String(single.options[1])] })), 400, /第1题是单选题/);
  await refusedUnchanged(() => submit(clients.resident1, survey,
    answers({ [`q${single.id}`]: String(multiple.options[0]) })), 400, /第1题的选项无效/);
  await refusedUnchanged(() => submit(clients.resident1, survey,
    answers({ [`q${multiple.id}`]: [String(multiple.options[0]), String(ranking.options[0])] })), 400, /第2题的选项无效/);
  await refusedUnchanged(() => submit(clients.resident1, survey,
    answers({ [`q${multiple.id}`]: [String(multiple.options[0]), String(multiple.options[0])] })), 400, /第2题的选项无效/);
  await refusedUnchanged(() => submit(clients.resident1, survey,
    answers({ [`q${questions[4].id}`]: '长'.repeat(1001) })), 400, /第5题的回答不能超过1000个字/);
});

test('a verified resident answers once; the second time is refused', async () => {
  const before = responses();
  const res = await submit(clients.resident1, survey, answers());
  assert.equal(res.status, 303, sentence(res.text));
  assert.equal(res.location, `/surveys/${survey}/results?thanks=1`);
  assert.equal(responses(), before + 1);
  const mine = num(server.db, `SELECT id FROM survey_response WHERE survey_id = ${survey} AND person_id = ${ids.person.resident1}`);
  // single 1 + multiple 2 + scale 1 + ranking 4 + text 1
  assert.equal(num(server.db, `SELECT COUNT(*) FROM survey_answer WHERE response_id = ${mine}`), 9);
  const ranking = questions[3];
  assert.equal(q(server.db, `SELECT value FROM survey_answer
    WHERE response_id = ${mine} AND question_id = ${ranking.id} ORDER BY option_id`).split('\n').join(','), '1,2,3,4');
  assert.equal(q(server.db, `SELECT action FROM audit_log ORDER BY id DESC LIMIT 1`), 'survey.answer');
  assert.doesNotMatch(q(server.db, 'SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1'), /希望/,
    'the audit names the response, not its content');
  await refusedUnchanged(() => submit(clients.resident1, survey, answers()), 409, /已经提交过这份问卷/);
  const page = await clients.resident1.get(`/surveys/${survey}`);
  assert.match(page.text, /已经提交过这份问卷/);
  assert.doesNotMatch(page.text, /提交答卷/);
});

test('a paper code answers once, typed in any case; a used or unknown code is refused', async () => {
  const code = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${survey} AND used_at IS NULL ORDER BY id LIMIT 1`);
  const before = responses();
  const typed = code.toLowerCase().replace('-', ' ');
  const res = await submit(server.client(), survey, { ...answers(), code: typed });
  assert.equal(res.status, 303, sentence(res.text));
  assert.equal(responses(), before + 1);
  assert.notEqual(q(server.db, `SELECT COALESCE(used_at, 0) FROM survey_code WHERE code = '${code}'`), '0');
  await refusedUnchanged(() => submit(server.client(), survey, { ...answers(), code }), 409, /已经使用过/);
  await refusedUnchanged(() => submit(server.client(), survey, { ...answers(), code: 'ABCD-2345' }), 404,
    /答题码不正确/);
  await refusedUnchanged(() => submit(server.client(), survey, { ...answers(), code: '1111-1111' }), 404,
    /答题码不正确/);
  // An unverified resident can still answer with a code.
  const another = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${survey} AND used_at IS NULL ORDER BY id LIMIT 1`);
  const viaCode = await submit(clients.resident2, survey, { ...answers(), code: another });
  assert.equal(viaCode.status, 303, sentence(viaCode.text));
  // A code of another questionnaire does not open this one.
  const other = await clients.street.post('/surveys/new', { title: '另一份问卷', unit: String(ids.street) });
  const otherId = Number(/\/surveys\/(\d+)\/edit/.exec(other.location)[1]);
  await clients.street.post(`/surveys/${otherId}/codes`, { count: '1' });
  const foreign = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${otherId}`);
  await refusedUnchanged(() => submit(server.client(), survey, { ...answers(), code: foreign }), 404, /答题码不正确/);
});

test('a bad answer with a valid code leaves the code unused', async () => {
  const code = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${survey} AND used_at IS NULL ORDER BY id LIMIT 1`);
  await refusedUnchanged(() => submit(server.client(), survey, { ...answers({ [`q${questions[2].id}`]: '9' }), code }),
    400, /第3题请选择1到5分/);
  assert.equal(q(server.db, `SELECT COALESCE(used_at, 0) FROM survey_code WHERE code = '${code}'`), '0');
});

test('a community questionnaire is for that community\'s residents', async () => {
  const c = clients.staff2;
  const res = await c.post('/surveys/new', { title: '望湖西里问卷', unit: String(ids.community2) });
  const id = Number(/\/surveys\/(\d+)\/edit/.exec(res.location)[1]);
  await c.post(`/surveys/${id}/questions`, { kind: 'scale', prompt: '满意度', required: '1' });
  await c.post(`/surveys/${id}/publish`, { confirm: '1' });
  const [qs] = loadQuestions(id);
  await refusedUnchanged(() => submit(clients.resident1, id, { [`q${qs.id}`]: '5' }), 403, /只面向所在范围内的居民/);
  const page = await clients.resident1.get(`/surveys/${id}`);
  assert.doesNotMatch(page.text, /无需填写答题码/, 'outside the scope the page asks for a paper code');
});

test('a closed questionnaire takes no answers', async () => {
  const c = clients.street;
  const res = await c.post('/surveys/new', { title: '即将结束', unit: String(ids.street) });
  const id = Number(/\/surveys\/(\d+)\/edit/.exec(res.location)[1]);
  await c.post(`/surveys/${id}/questions`, { kind: 'text', prompt: '建议' });
  await c.post(`/surveys/${id}/codes`, { count: '1' });
  await c.post(`/surveys/${id}/publish`, { confirm: '1' });
  await c.post(`/surveys/${id}/close`, { confirm: '1' });
  const [qs] = loadQuestions(id);
  const code = q(server.db, `SELECT code FROM survey_code WHERE survey_id = ${id}`);
  await refusedUnchanged(async () => {
    const form = new URLSearchParams({ csrf: clients.resident1.csrf, [`q${qs.id}`]: '好' });
    return clients.resident1.request('POST', `/surveys/${id}`, { body: form.toString(), type: 'application/x-www-form-urlencoded' });
  }, 409, /不在征集中/);
  await refusedUnchanged(() => submit(server.client(), id, { [`q${qs.id}`]: '好', code }), 409, /不在征集中/);
  const page = await server.client().get(`/surveys/${id}`);
  assert.match(page.text, /本问卷已结束/);
  // A draft cannot be answered by anyone, and is not even there for residents.
  const draft = await c.post('/surveys/new', { title: '草稿', unit: String(ids.street) });
  const draftId = Number(/\/surveys\/(\d+)\/edit/.exec(draft.location)[1]);
  await refusedUnchanged(() => submit(clients.resident1, draftId, { code: '' }), 404, /找不到/);
});

test('the results count the new responses live', async () => {
  const res = await server.client().get(`/surveys/${survey}/results`);
  assert.equal(res.status, 200);
  assert.match(res.text, new RegExp(`已收到 ${responses()} 份答卷`));
});
