// Hostile input probes.
//
// XSS: every POST form the site shows to each kind of user is filled with a
// payload in every text field and submitted; then every page reachable by
// each kind of user is fetched, and none may contain the payload unescaped.
// The forms and pages are found by crawling, so new ones are probed too.
//
// SQL injection and path traversal: every GET route from the route table is
// requested with hostile path parameters and query values; nothing may fail
// with a 5xx or show a database error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runGongzhi } from '../lib/server.mjs';

const MARK = 'zq7probe';
const PAYLOAD = `<b id=${MARK}>"'&amp;<script>alert(1)</script><img src=x onerror=alert(1)>`;
const RAW = new RegExp(`<b id=${MARK}>|<script>alert\\(1\\)|<img src=x onerror`);
const ESCAPED = new RegExp(`&lt;b id=${MARK}&gt;`);
const PAGE_LIMIT = 250;
const SKIP_POST = /^\/(logout|account\/password)$/;

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

const attr = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'") : null;
};

// The POST forms of a page: action and the fields to send.
function postForms(html) {
  const forms = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attr(m[1], 'method') || '').toLowerCase() !== 'post') continue;
    const action = attr(m[1], 'action');
    if (!action || !action.startsWith('/') || SKIP_POST.test(action)) continue;
    const fields = [];
    for (const input of m[2].matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0], name = attr(tag, 'name'), type = (attr(tag, 'type') || 'text').toLowerCase();
      if (!name || type === 'file' || type === 'submit') continue;
      if (type === 'hidden') fields.push([name, attr(tag, 'value') || '']);
      else if (type === 'checkbox' || type === 'radio') { if (!fields.some(([n]) => n === name)) fields.push([name, attr(tag, 'value') || '1']); }
      else if (['text', 'search'].includes(type)) fields.push([name, PAYLOAD]);
      else if (type === 'date') fields.push([name, new Date().toISOString().slice(0, 10)]);
      else if (type === 'password') fields.push([name, 'Probe12345']);
      else fields.push([name, attr(tag, 'value') || '1']);
    }
    for (const ta of m[2].matchAll(/<textarea\b([^>]*)>/g)) {
      const name = attr(ta[1], 'name');
      if (name) fields.push([name, PAYLOAD]);
    }
    for (const sel of m[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(sel[1], 'name');
      const opt = /<option\b[^>]*value="([^"]*)"/.exec(sel[2]);
      if (name && opt) fields.push([name, opt[1]]);
    }
    forms.push({ action, fields });
  }
  return forms;
}

function links(html) {
  const out = new Set();
  for (const m of html.matchAll(/href="(\/[^"#]*)"/g)) {
    const href = m[1].replace(/&amp;/g, '&');
    if (!href.startsWith('/static/') && !href.startsWith('/lang') && !href.endsWith('.csv')) out.add(href);
  }
  return out;
}

// Visits up to PAGE_LIMIT pages from the home page and the given starts.
async function crawl(client, starts, onPage) {
  const seen = new Set(), shapes = new Map(), queue = ['/', ...starts];
  while (queue.length && seen.size < PAGE_LIMIT) {
    const p = queue.shift();
    // A few pages of each shape (/needs/12, /needs/13 ...) stand for the rest.
    const shape = p.replace(/\d+/g, 'N');
    if (seen.has(p) || (shapes.get(shape) || 0) >= 4) continue;
    seen.add(p);
    shapes.set(shape, (shapes.get(shape) || 0) + 1);
    const res = await client.get(p);
    if (!/text\/html/.test(res.headers.get('content-type') || '')) continue;
    await onPage(p, res);
    for (const l of links(res.text)) if (!seen.has(l)) queue.push(l);
  }
  return seen.size;
}

const ROLES = ['admin', 'street', 'staff1', 'resident1', 'unit1'];
const STARTS = ['/needs', '/needs/new', '/drafts', '/drafts/new', '/surveys', '/surveys/new', '/meetings', '/meetings/new',
                '/admin', '/admin/units', '/admin/people', '/admin/people/new', '/admin/year', '/account', '/inbox'];

test('XSS payloads in every form field never come back unescaped', { timeout: 600000 }, async () => {
  let submitted = 0;
  const anonymous = server.client();
  await anonymous.get('/register');
  for (const f of postForms((await anonymous.get('/register')).text)) {
    await anonymous.post(f.action, Object.fromEntries(f.fields.map(([k, v]) => [k, k === 'login' ? 'probe_user' : v])));
    submitted++;
  }
  for (const login of ROLES) {
    const c = server.client();
    await c.login(login);
    const forms = new Map();
    await crawl(c, STARTS, (p, res) => {
      // One form of each shape: /needs/12/support stands for every need's.
      for (const f of postForms(res.text)) {
        const shape = f.action.replace(/\d+/g, 'N');
        if (!forms.has(shape)) forms.set(shape, f);
      }
    });
    for (const f of forms.values()) {
      await c.get('/');   // a fresh CSRF token
      const csrf = c.csrf;
      const body = Object.fromEntries(f.fields.map(([k, v]) => [k, k === 'csrf' ? csrf : v]));
      const res = await c.post(f.action, body);
      assert.ok(res.status < 500, `${login} POST ${f.action}: ${res.status}`);
      submitted++;
    }
  }
  let pages = 0, escapedSeen = 0;
  for (const login of [null, ...ROLES]) {
    const c = server.client();
    if (login) await c.login(login);
    pages += await crawl(c, STARTS, (p, res) => {
      assert.doesNotMatch(res.text, RAW, `${login || 'anonymous'} ${p} shows the payload unescaped`);
      if (ESCAPED.test(res.text)) escapedSeen++;
    });
  }
  console.log(`# xss: ${submitted} forms submitted, ${pages} pages checked, ${escapedSeen} showed the payload escaped`);
  assert.ok(escapedSeen > 0, 'no page showed the stored payload at all: the probe reached nothing');
});

const HOSTILE = ["1' OR '1'='1", '1;DROP TABLE need--', '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd',
                 '%00', '99999999999999999999', '-1', '电梯" OR 1=1 --', '<script>'];

test('SQL injection and path traversal probes on every GET route: no 5xx, no database error', { timeout: 300000 }, async () => {
  const routes = runGongzhi(['routes']).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.method === 'GET');
  const c = server.client();
  await c.login('admin');
  let probes = 0;
  for (const r of routes) {
    for (const h of HOSTILE) {
      const p = r.pattern.replace(/:[a-z_]+/g, encodeURIComponent(h));
      const q = `?q=${encodeURIComponent(h)}&page=${encodeURIComponent(h)}&category=${encodeURIComponent(h)}&community=${encodeURIComponent(h)}`;
      for (const url of [p, p + q]) {
        const res = await c.get(url);
        probes++;
        assert.ok(res.status < 500, `GET ${url}: ${res.status}`);
        assert.doesNotMatch(res.text, /SQLITE|syntax error|sqlite3|PG::|ERROR: /i, `GET ${url} shows a database error`);
        assert.doesNotMatch(res.text, /root:x:0:0/, `GET ${url} reads a file outside the site`);
      }
    }
  }
  console.log(`# injection and traversal probes: ${probes}`);
});
