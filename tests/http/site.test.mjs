// The site answers as a public-service site should: the home page in
// Chinese first, English on request, and every error in the user's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test('healthz answers ok', async () => {
  const res = await server.client().get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.text, 'ok\n');
});

test('home page is Chinese by default and shows where the year stands', async () => {
  const res = await server.client().get('/');
  assert.equal(res.status, 200);
  assert.match(res.text, /<html lang="zh-CN">/);
  assert.match(res.text, /望湖街道/);
  assert.match(res.text, /问需/);
  assert.match(res.text, /本年度进展/);
  assert.match(res.text, /还剩 \d+ 天/);
});

test('English through Accept-Language and through the switch cookie', async () => {
  const c = server.client();
  const en = await c.get('/', { headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } });
  assert.match(en.text, /<html lang="en">/);
  assert.match(en.text, /Where the year stands/);
  const sw = await c.get('/lang?to=zh&back=/needs');
  assert.equal(sw.status, 303);
  assert.equal(sw.location, '/needs');
  const zh = await c.get('/', { headers: { 'accept-language': 'en' } });
  assert.match(zh.text, /<html lang="zh-CN">/, 'the cookie wins over the header');
});

test('the language switch never redirects off the site', async () => {
  const res = await server.client().get('/lang?to=en&back=//evil.example/');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/');
});

test('unknown route: 404 page in the user language, without echoing the path', async () => {
  const c = server.client();
  const zh = await c.get('/no-such-page-<script>');
  assert.equal(zh.status, 404);
  assert.match(zh.text, /页面不存在/);
  assert.doesNotMatch(zh.text, /no-such-page/);
  const en = await c.get('/nothing', { headers: { 'accept-language': 'en' } });
  assert.match(en.text, /Not found/);
});

test('wrong method: 405 with Allow', async () => {
  const res = await server.client().request('DELETE', '/');
  assert.equal(res.status, 405);
  assert.ok(res.headers.get('allow'));
  assert.match(res.text, /不支持的请求方式/);
});

test('oversized body: 413 with a sentence', async () => {
  const c = server.client();
  await c.get('/login');
  const big = 'x'.repeat(13 * 1024 * 1024);
  const res = await c.request('POST', '/login', { body: big, type: 'application/x-www-form-urlencoded' });
  assert.equal(res.status, 413);
  assert.match(res.text, /提交的内容过大/);
});

test('malformed form: 400 with a sentence', async () => {
  const c = server.client();
  await c.get('/login');
  const res = await c.request('POST', '/login', { body: `csrf=${c.csrf}&login=%zz`, type: 'application/x-www-form-urlencoded' });
  assert.equal(res.status, 400);
  assert.match(res.text, /请求格式有误/);
});

test('static files carry an ETag and answer 304 when unchanged', async () => {
  const c = server.client();
  const first = await c.get('/static/style.css');
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type'), /text\/css/);
  const etag = first.headers.get('etag');
  assert.ok(etag);
  assert.match(first.headers.get('cache-control'), /max-age/);
  const again = await c.get('/static/style.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('security headers on every page', async () => {
  const res = await server.client().get('/');
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(res.headers.get('referrer-policy'));
});

test('stage overview pages exist for the later stages', async () => {
  for (const s of ['plans', 'effects', 'accountability']) {
    const res = await server.client().get(`/stage/${s}`);
    assert.equal(res.status, 200, s);
  }
  assert.equal((await server.client().get('/stage/nonsense')).status, 404);
});

test('the JSON API answers errors in JSON', async () => {
  const res = await server.client().get('/api/v1/nothing');
  assert.equal(res.status, 404);
  assert.equal(res.json().error.status, 404);
  const meta = await server.client().get('/api/v1/meta');
  assert.equal(meta.json().street, '望湖街道');
});
