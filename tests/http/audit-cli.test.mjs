// The audit chain from the command line: `gongzhi audit verify` on a demo
// database that someone with direct access to the database has tampered
// with, and `gongzhi backup`.  Runs on SQLite (the sqlite3 shell) and on
// PostgreSQL (psql), whichever GZ_BACKEND names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BIN, BACKEND, freshDatabase, runGongzhi, sqlValue } from '../lib/server.mjs';

let db;

function sqlExec(url, sql) {
  if (url.startsWith('postgres')) execFileSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
  else execFileSync('sqlite3', [url, sql], { stdio: 'pipe' });
}

function gongzhi(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const verify = (url = db.url) => gongzhi('audit', 'verify', '--db', url);

// Every case starts from the chain as the demo left it.
function restore() {
  sqlExec(db.url, 'DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM gz_saved_log; ' +
                  'DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM gz_saved_head;');
}

let last;   // id of the newest record

before(() => {
  db = freshDatabase();
  runGongzhi(['demo', '--db', db.url]);
  sqlExec(db.url, 'CREATE TABLE gz_saved_log AS SELECT * FROM audit_log; ' +
                  'CREATE TABLE gz_saved_head AS SELECT * FROM audit_head;');
  last = Number(sqlValue(db.url, 'SELECT MAX(id) FROM audit_log'));
});
after(() => db.cleanup());

test('the demo leaves an intact chain: exit 0 with the record count', () => {
  assert.ok(last >= 6, `the demo wrote ${last} audit records`);
  const r = verify();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const [first, head] = r.stdout.trim().split('\n');
  assert.equal(first, `audit chain intact: ${last} records`);
  const hash = sqlValue(db.url, 'SELECT last_hash FROM audit_head');
  assert.equal(head, `head: record ${last}, hash ${hash} (keep this line elsewhere to anchor the chain)`);
});

const tampering = [
  { what: 'an altered record', sql: "UPDATE audit_log SET summary = summary || ' (改)' WHERE id = 3",
    record: 3, reason: /altered/ },
  { what: 'an altered actor', sql: 'UPDATE audit_log SET actor_account_id = 999 WHERE id = 2',
    record: 2, reason: /altered/ },
  { what: 'a removed record', sql: 'DELETE FROM audit_log WHERE id = 3',
    record: 4, reason: /record 3 is missing/ },
  { what: 'a reordered pair (contents swapped, ids kept)',
    sql: 'CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE id IN (3, 4); ' +
         'UPDATE audit_log SET (street_id, at, actor_account_id, actor_role, action, object_type, object_id, ' +
         'summary, prev_hash, hash) = (SELECT street_id, at, actor_account_id, actor_role, action, object_type, ' +
         'object_id, summary, prev_hash, hash FROM swap WHERE swap.id = 7 - audit_log.id) WHERE id IN (3, 4);',
    record: 3, reason: /removed or reordered/ },
  { what: 'a removed tail', sql: () => `DELETE FROM audit_log WHERE id = ${last}`,
    record: () => last, reason: /removed from the end/ },
];

for (const t of tampering) {
  test(`${t.what} is caught: exit 1 naming the record`, () => {
    restore();
    assert.equal(verify().status, 0, 'intact before tampering');
    sqlExec(db.url, typeof t.sql === 'function' ? t.sql() : t.sql);
    const r = verify();
    const record = typeof t.record === 'function' ? t.record() : t.record;
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^audit chain broken at record ${record}: `), r.stdout);
    assert.match(r.stdout, t.reason);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one line');
  });
}

test('restoring the records makes the chain verify again', () => {
  restore();
  assert.equal(verify().status, 0);
});

test('verify on a database that does not exist fails without creating it', () => {
  if (BACKEND === 'postgres') return;
  const missing = path.join(db.dir, 'nothing-here.db');
  const r = verify(missing);
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.length > 0);
  assert.equal(existsSync(missing), false);
});

test('backup writes a copy that passes the integrity check and verifies', () => {
  restore();
  if (BACKEND === 'postgres') {
    const r = gongzhi('backup', '--db', db.url, '/tmp/never.db');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /SQLite/);
    return;
  }
  const copy = path.join(db.dir, 'copy.db');
  const r = gongzhi('backup', '--db', db.url, copy);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /integrity check ok/);
  assert.equal(execFileSync('sqlite3', [copy, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
  assert.equal(sqlValue(copy, 'SELECT COUNT(*) FROM audit_log'), String(last));
  assert.equal(sqlValue(copy, 'SELECT COUNT(*) FROM account'), sqlValue(db.url, 'SELECT COUNT(*) FROM account'));
  const v = verify(copy);
  assert.equal(v.status, 0, v.stdout);
});

test('backup into a folder that does not exist fails with a reason', () => {
  if (BACKEND === 'postgres') return;
  const r = gongzhi('backup', '--db', db.url, path.join(db.dir, 'no', 'such', 'dir', 'copy.db'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gongzhi backup: /);
});
