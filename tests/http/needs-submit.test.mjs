// Raising needs: the two-step form (similar needs first), photos checked by
// content and stripped of location data, staff recording on someone's
// behalf, the asking period, rate limits, and every refusal changing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlValue } from '../lib/server.mjs';
import { fingerprint } from './admin-common.mjs';

let server;
const num = (sql) => Number(sqlValue(server.db, sql));
const community = (name) => num(`SELECT id FROM org_unit WHERE name = '${name}' AND kind = 'community'`);
const grid = (communityName, gridName) =>
  num(`SELECT g.id FROM org_unit g JOIN org_unit c ON c.id = g.parent_id WHERE c.name = '${communityName}' AND g.name = '${gridName}'`);
const needCount = () => num('SELECT COUNT(*) FROM need');

before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const base = () => ({
  title: '3号楼门口的路灯坏了', body: '3号楼门口的路灯已经坏了两个星期，晚上回家很黑，老人容易摔倒。',
  category: '道路交通', place: String(community('望湖东里社区')), address: '3号楼东侧',
});

// A JPEG (structure only) whose APP1 segment carries GPS data.
function jpegWithGps() {
  const seg = (marker, text) => {
    const body = Buffer.from(text, 'latin1');
    const len = Buffer.alloc(2); len.writeUInt16BE(body.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), len, body]);
  };
  return Buffer.concat([Buffer.from([0xff, 0xd8]), seg(0xe0, 'JFIF\0\x01\x01'),
    seg(0xe1, 'Exif\0\0GPSLatitude 39.9042 N GPSLongitude 116.4074 E'), seg(0xdb, 'tables'),
    seg(0xda, 'scan'), Buffer.from([0x12, 0x34, 0xff, 0xd9])]);
}

function pngWithExif() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.alloc(13)), chunk('eXIf', Buffer.from('MM\0*GPS-here')), chunk('IDAT', Buffer.from('px')),
    chunk('IEND', Buffer.alloc(0))]);
}

function form(fields, files = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append('photo', new Blob([f.data], { type: f.type }), f.name);
  return fd;
}

test('the form needs a session; the check step shows similar needs before the final form with photos', async () => {
  const anon = server.client();
  const res = await anon.get('/needs/new');
  assert.equal(res.status, 303);
  assert.match(res.location, /^\/login\?next=\/needs\/new/);

  const c = server.client();
  await c.login('resident1');
  const page = await c.get('/needs/new');
  assert.equal(page.status, 200);
  assert.match(page.text, /action="\/needs\/check"/);
  assert.match(page.text, /<script src="\/static\/needs.js" defer><\/script>/);
  assert.doesNotMatch(page.text, /<script>/, 'no inline script');
  const check = await c.post('/needs/check', { ...base(), title: '电梯经常坏',
    body: '我们楼的电梯这个月坏了好几次，还关过人，希望物业彻底检修。' });
  assert.equal(check.status, 200);
  assert.match(check.text, /已有的相似意见/);
  assert.match(check.text, /action="\/needs\/\d+\/support"/, 'each similar need can be supported instead');
  assert.match(check.text, /enctype="multipart\/form-data"/);
  assert.match(check.text, /name="photo" type="file"/);
  assert.match(check.text, /value="电梯经常坏"/, 'the text is carried into the final form');
});

test('a resident submits a need with photos; location metadata is stripped and photos are served by type', async () => {
  const c = server.client();
  await c.login('resident1');
  await c.get('/needs/new');
  const before = needCount();
  const res = await c.postMultipart('/needs', form({ ...base(), show_name: '1' }, [
    { data: jpegWithGps(), type: 'image/jpeg', name: 'IMG_0001.jpg' },
    { data: pngWithExif(), type: 'image/jpeg', name: 'looks-like.jpg' },
  ]));
  assert.equal(res.status, 303, res.text);
  const id = Number(/^\/needs\/(\d+)\?created=1$/.exec(res.location)[1]);
  assert.equal(needCount(), before + 1);
  assert.equal(sqlValue(server.db, `SELECT channel || ',' || show_name || ',' || status FROM need WHERE id = ${id}`), 'web,1,open');
  assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'need.create' AND object_id = ${id}`), 1);

  const jpeg = await fetch(`${server.base}/needs/${id}/photos/1`);
  assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
  const jb = Buffer.from(await jpeg.arrayBuffer());
  assert.ok(jb.length > 0);
  assert.equal(jb.indexOf('GPS'), -1, 'no GPS data in the stored JPEG');
  assert.equal(jb.indexOf('Exif'), -1);
  const png = await fetch(`${server.base}/needs/${id}/photos/2`);
  assert.equal(png.headers.get('content-type'), 'image/png', 'the type comes from the content, not the name');
  assert.equal(Buffer.from(await png.arrayBuffer()).indexOf('GPS'), -1);
  assert.equal((await fetch(`${server.base}/needs/${id}/photos/3`)).status, 404);

  const page = await c.get(`/needs/${id}?created=1`);
  assert.match(page.text, /已收到您的意见建议/);
  assert.match(page.text, /<img src="\/needs\/\d+\/photos\/1"/);
  const name = sqlValue(server.db, "SELECT p.name FROM person p JOIN account a ON a.person_id = p.id WHERE a.login = 'resident1'");
  assert.ok(page.text.includes(name), 'the resident chose to show the full name');
});

test('the submitter name is masked on public pages and the API unless they chose to show it', async () => {
  const c = server.client();
  await c.login('resident1');
  await c.get('/needs/new');
  const res = await c.postMultipart('/needs', form({ ...base(), title: '希望增加垃圾桶清运次数' }));
  const id = Number(/\/needs\/(\d+)/.exec(res.location)[1]);
  const name = sqlValue(server.db, "SELECT p.name FROM person p JOIN account a ON a.person_id = p.id WHERE a.login = 'resident1'");
  const masked = name[0] + '*'.repeat([...name].length - 1);
  const anon = server.client();
  const page = await anon.get(`/needs/${id}`);
  assert.ok(!page.text.includes(name));
  assert.ok(page.text.includes(masked));
  const api = (await anon.get(`/api/v1/needs/${id}`)).json();
  assert.equal(api.submitter, masked);
  const staff = server.client();
  await staff.login('staff1');
  assert.ok((await staff.get(`/needs/${id}`)).text.includes(name), 'staff of the community may see the name');
});

test('bad input is refused with a sentence and changes nothing', async () => {
  const c = server.client();
  await c.login('resident1');
  await c.get('/needs/new');
  const cases = [
    [{ title: '' }, 400, /标题需要2–60个字/],
    [{ title: '长'.repeat(61) }, 400, /标题需要2–60个字/],
    [{ body: '短' }, 400, /具体内容需要5–2000个字/],
    [{ category: '不存在的类别' }, 400, /请选择一个类别/],
    [{ place: '999999' }, 400, /请选择本街道的社区、网格或楼栋/],
    [{ place: String(num("SELECT id FROM org_unit WHERE kind = 'street'")) }, 400, /请选择本街道的社区/],
    [{ address: 'a\nb' }, 400, /详细地址/],
  ];
  const fp = fingerprint(server.db);
  for (const [change, status, sentence] of cases) {
    const res = await c.postMultipart('/needs', form({ ...base(), ...change }));
    assert.equal(res.status, status, JSON.stringify(change));
    assert.match(res.text, sentence, JSON.stringify(change));
  }
  const text = await c.postMultipart('/needs', form(base(), [{ data: Buffer.from('not an image at all'), type: 'image/jpeg', name: 'x.jpg' }]));
  assert.equal(text.status, 400);
  assert.match(text.text, /JPEG、PNG或WebP/);
  const gif = await c.postMultipart('/needs', form(base(), [{ data: Buffer.from('GIF89a\x01\x00\x01\x00'), type: 'image/gif', name: 'a.gif' }]));
  assert.equal(gif.status, 400);
  const four = await c.postMultipart('/needs', form(base(), [1, 2, 3, 4].map(() => ({ data: jpegWithGps(), type: 'image/jpeg', name: 'a.jpg' }))));
  assert.equal(four.status, 400);
  assert.match(four.text, /最多只能上传3张照片/);
  const big = Buffer.concat([jpegWithGps(), Buffer.alloc(3 * 1024 * 1024)]);
  const tooBig = await c.postMultipart('/needs', form(base(), [{ data: big, type: 'image/jpeg', name: 'big.jpg' }]));
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.text, /不能超过3MB/);
  assert.equal(fingerprint(server.db), fp);
});

test('no session, or no CSRF token: refused, nothing written', async () => {
  const c = server.client();
  await c.login('resident1');
  const fp = fingerprint(server.db);
  const anon = server.client();
  await anon.get('/needs');
  const res = await anon.postMultipart('/needs', form(base()));
  assert.equal(res.status, 401);
  const fd = form({ ...base(), csrf: 'f'.repeat(64) });
  const wrong = await c.postMultipart('/needs', fd);
  assert.equal(wrong.status, 403);
  assert.match(wrong.text, /表单已过期/);
  assert.equal(fingerprint(server.db), fp);
});

test('staff record a paper form for someone without an account; residents and other communities may not', async () => {
  const staff = server.client();
  await staff.login('staff1');
  const page = await staff.get('/needs/new');
  assert.match(page.text, /代为登记/);
  const before = needCount();
  const res = await staff.postMultipart('/needs', form({ ...base(), channel: 'paper', submitter_name: '王大爷' }));
  assert.equal(res.status, 303, res.text);
  const id = Number(/\/needs\/(\d+)/.exec(res.location)[1]);
  assert.equal(needCount(), before + 1);
  assert.equal(sqlValue(server.db, `SELECT channel || ',' || submitter_name || ',' || (person_id IS NULL) || ',' || (recorded_by IS NOT NULL) FROM need WHERE id = ${id}`),
    sqlValue(server.db, "SELECT 'paper,王大爷,' || (1=1) || ',' || (1=1)"));

  const fp = fingerprint(server.db);
  // staff1 serves the first community only
  const other = await staff.postMultipart('/needs', form({ ...base(), place: String(grid('枣林社区', '第二网格')), channel: 'phone', submitter_name: '李阿姨' }));
  assert.equal(other.status, 403);
  assert.match(other.text, /只有该社区的工作人员才能代为登记/);
  // a resident cannot record for someone else, whatever the form says
  const resident = server.client();
  await resident.login('resident1');
  await resident.get('/needs/new');
  const forged = await resident.postMultipart('/needs', form({ ...base(), channel: 'paper', submitter_name: '别人' }));
  assert.equal(forged.status, 303, 'the staff fields are ignored for residents');
  const forgedId = Number(/\/needs\/(\d+)/.exec(forged.location)[1]);
  assert.equal(sqlValue(server.db, `SELECT channel || ',' || (recorded_by IS NULL) || ',' || submitter_name FROM need WHERE id = ${forgedId}`),
    sqlValue(server.db, "SELECT 'web,' || (1=1) || ','"));
  assert.notEqual(fingerprint(server.db), fp);
});

test('outside the asking period residents get a polite explanation; staff may still record', async () => {
  const saved = sqlValue(server.db, 'SELECT id || \':\' || needs_start || \':\' || needs_end FROM year_cycle ORDER BY id').split('\n');
  const restore = () => { for (const row of saved) { const [id, s, e] = row.split(':'); sqlValue(server.db, `UPDATE year_cycle SET needs_start = ${s}, needs_end = ${e} WHERE id = ${id}`); } };
  sqlValue(server.db, 'UPDATE year_cycle SET needs_start = 0, needs_end = 0');
  try {
    const c = server.client();
    await c.login('resident1');
    const page = await c.get('/needs/new');
    assert.equal(page.status, 200);
    assert.match(page.text, /现在不在问需征集期内/);
    assert.doesNotMatch(page.text, /action="\/needs\/check"/);
    const fp = fingerprint(server.db);
    const res = await c.postMultipart('/needs', form(base()));
    assert.equal(res.status, 409);
    assert.match(res.text, /感谢您的关心/);
    assert.equal(fingerprint(server.db), fp);
    const list = await c.get('/needs');
    assert.match(list.text, /现在不在问需征集期内/);

    const staff = server.client();
    await staff.login('staff1');
    await staff.get('/needs/new');
    const rec = await staff.postMultipart('/needs', form({ ...base(), channel: 'phone', submitter_name: '赵师傅' }));
    assert.equal(rec.status, 303);
  } finally {
    restore();
  }
});

test('submissions are rate-limited per account, with a Retry-After', async () => {
  const c = server.client();
  const reg = await c.get('/register');
  const communityId = /<option value="(\d+)"/.exec(reg.text)[1];
  assert.equal((await c.post('/register', { login: 'busy_writer', password: 'abc12345', name: '忙碌居民', phone: '',
    community: communityId, kind: 'resident' })).status, 303);
  await c.login('busy_writer', 'abc12345');
  await c.get('/needs/new');
  for (let i = 0; i < 10; i++) {
    const res = await c.postMultipart('/needs', form({ ...base(), title: `第${i + 1}条意见建议` }));
    assert.equal(res.status, 303, `submission ${i + 1}`);
  }
  const fp = fingerprint(server.db);
  const res = await c.postMultipart('/needs', form({ ...base(), title: '第十一条意见' }));
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.match(res.text, /提交过于频繁/);
  assert.equal(fingerprint(server.db), fp);
});
