// Every page is well-formed HTML: a crawl as four kinds of visitor, in
// Chinese and in English, runs each page through HTML Tidy; and no page
// shows a catalogue key where its text should be (a missing translation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

// Tidy 5.6 predates some of HTML5: these warnings are about valid markup.
const KNOWN_GOOD = [/proprietary attribute "(aria-[a-z]+|role|inputmode|autocomplete|autocapitalize|hidden|pattern|minlength|maxlength|required|placeholder|datetime|enterkeyhint|accept|capture|multiple)"/,
                    /<(time|section|article|nav|header|footer|main|details|summary|svg|path|rect|text|line|g|title|figure|figcaption|meter|progress|output)> is not recognized/,
                    /discarding unexpected <\/?(svg|path|rect|text|line|g|meter|progress)>/,
                    /trimming empty <(span|p|li|td|th|div|textarea|option|ul|dd)>/];

// Tidy's complaints about a page, without the ones about valid HTML5.
function tidyProblems(html) {
  const r = spawnSync('tidy', ['-q', '-e'], { input: html, encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => /(Warning|Error):/.test(l) && !KNOWN_GOOD.some((k) => k.test(l)));
}

async function crawl(client, onPage) {
  const seen = new Set(), shapes = new Map();
  const queue = ['/', '/needs', '/drafts', '/surveys', '/meetings', '/admin', '/account', '/inbox', '/login', '/register'];
  while (queue.length && seen.size < 150) {
    const p = queue.shift();
    const shape = p.replace(/\d+/g, 'N').replace(/\?.*/, '?');
    if (seen.has(p) || (shapes.get(shape) || 0) >= 2) continue;
    seen.add(p);
    shapes.set(shape, (shapes.get(shape) || 0) + 1);
    const res = await client.get(p);
    if (res.status !== 200 || !/text\/html/.test(res.headers.get('content-type') || '')) continue;
    onPage(p, res.text);
    for (const m of res.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (!/^\/(static|lang)|\.csv$|^\/account\/export/.test(href) && !seen.has(href)) queue.push(href);
    }
  }
  return seen.size;
}

const KEY_SHOWN = />[^<]*\b(need|draft|survey|meeting|admin|err|home|stage|nav|account|privacy|inbox|register|login|password|person|role|delegate|org|api|site|pager)\.[a-z_]+(\.[a-z_0-9]+)*\b/;

test('every page a visitor can reach is valid HTML, with every text translated', { timeout: 300000 }, async () => {
  let pages = 0;
  const problems = [];
  for (const lang of ['zh', 'en'])
    for (const login of [null, 'resident1', 'staff1', 'admin']) {
      const c = server.client();
      c.cookies.set('lang', lang);
      if (login) await c.login(login);
      const who = `${login || 'anonymous'} (${lang})`;
      const n = await crawl(c, (p, html) => {
        for (const line of tidyProblems(html)) problems.push(`${who} ${p}: ${line}`);
        // An attribute passed through the text escaper: <a x=&quot;y&quot;>.
        const mangled = /<[a-z][^<>]*\s[a-z-]+=&quot;[^<>]*>/.exec(html);
        if (mangled) problems.push(`${who} ${p}: escaped attribute in ${mangled[0]}`);
        // Audit action codes (need.create) are shown as <code> on purpose.
        const key = KEY_SHOWN.exec(html.replace(/<code>[^<]*<\/code>/g, ''));
        if (key) problems.push(`${who} ${p}: shows the catalogue key ${key[0].slice(1).trim()}`);
      });
      pages += n;
      console.log(`# html: ${n} pages as ${who}`);
    }
  console.log(`# html: ${pages} pages checked`);
  assert.deepEqual(problems, []);
});
