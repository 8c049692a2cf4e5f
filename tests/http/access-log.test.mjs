// One access-log line per request (time, address, method, path without the
// query, status, bytes, microseconds), reopened on SIGHUP so logrotate can
// keep months of logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';

const settle = () => new Promise((r) => setTimeout(r, 200));

// The log's lines once it has at least `count` of them (a slow server,
// under memcheck say, writes them a little later).
async function logLines(file, count) {
  let lines = [];
  for (let i = 0; i < 50 && lines.length < count; i++) {
    await settle();
    try { lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean); } catch { lines = []; }
  }
  return lines;
}

test('access log lines, and SIGHUP reopens the file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-log-'));
  const log = path.join(dir, 'access.log');
  const server = await startServer({ args: ['--access-log', log] });
  try {
    const c = server.client();
    await c.get('/needs?q=secret-query');
    await c.get('/nope');
    const lines = await logLines(log, 2);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 127\.0\.0\.1 GET \/needs 200 \d+ \d+$/);
    assert.match(lines[1], / GET \/nope 404 /);
    assert.doesNotMatch(lines[0], /secret-query/, 'queries may hold personal data and are not logged');
    renameSync(log, log + '.1');
    server.child.kill('SIGHUP');
    await settle();
    await c.get('/healthz');
    assert.match((await logLines(log, 1)).join('\n'), /GET \/healthz 200/);
    assert.equal(readFileSync(log + '.1', 'utf8').trim().split('\n').length, 2);
    const exit = await server.stop();
    assert.equal(exit.code, 0, 'SIGTERM stops the server cleanly');
    assert.match(server.stderr(), /stopped cleanly/);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('behind a trusted proxy the client is the last X-Forwarded-For address; otherwise the header is ignored', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-log-'));
  const log = path.join(dir, 'access.log');
  const proxied = await startServer({ args: ['--access-log', log, '--trusted-proxy', '127.0.0.1'] });
  const direct = await startServer({ args: ['--access-log', log + '.direct'] });
  try {
    const spoofed = { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' };
    await proxied.client().get('/healthz', { headers: spoofed });
    await proxied.client().get('/healthz', { headers: { 'x-forwarded-for': 'not-an-address' } });
    await direct.client().get('/healthz', { headers: spoofed });
    const lines = await logLines(log, 2);
    // Lines are written as requests complete, not necessarily in order.
    assert.equal(lines.filter((l) => / 203\.0\.113\.7 GET \/healthz /.test(l)).length, 1);
    assert.equal(lines.filter((l) => / 127\.0\.0\.1 GET \/healthz /.test(l)).length, 1,
                 'a malformed header keeps the proxy address');
    assert.match((await logLines(log + '.direct', 1))[0], / 127\.0\.0\.1 GET \/healthz /);
  } finally {
    await proxied.stop();
    await direct.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
