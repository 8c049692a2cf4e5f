// Moving house: `gongzhi migrate` copies a street office's SQLite database
// into an empty PostgreSQL database.  Everything arrives (accounts, sessions,
// the audit chain, the search index), the site works on the new database
// where it left off, and a target that already holds data is refused.
// PostgreSQL only: skipped on the SQLite run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, freshDatabase, sqlValue, runGongzhi, BACKEND } from '../lib/server.mjs';

const skip = BACKEND !== 'postgres' && 'moving to PostgreSQL needs a PostgreSQL server (GZ_BACKEND=postgres)';

let dir, source, target, moved;
let oldCookies;

// Runs gongzhi expecting failure; gives its status and stderr.
function refused(args) {
  try {
    runGongzhi(args);
  } catch (err) {
    return { status: err.status, stderr: String(err.stderr) };
  }
  assert.fail(`gongzhi ${args.join(' ')} succeeded`);
}

// The tables that move: every table of the source but bookkeeping and the
// full-text tables (need_fts and its shadow tables), from its own catalogue.
function movedTables(db) {
  const fts = sqlValue(db, "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'").split('\n').filter(Boolean);
  return sqlValue(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .split('\n')
    .filter((t) => t && t !== 'schema_migration' && !t.startsWith('sqlite_') && !fts.some((f) => t === f || t.startsWith(f + '_')));
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'gz-migrate-'));
  source = path.join(dir, 'street.db');
  runGongzhi(['demo', '--db', source]);
  // Some life on the old site: a registration and a session that should survive the move.
  const old = await startServer({ db: source });
  const c = old.client();
  const form = await c.get('/register');
  const community = /<option value="(\d+)"/.exec(form.text)[1];
  const reg = await c.post('/register', { login: 'mover', password: 'abc12345', name: '搬家人', phone: '', community, kind: 'resident' });
  assert.equal(reg.status, 303);
  await c.login('mover', 'abc12345');
  oldCookies = new Map(c.cookies);
  await old.stop();
  target = freshDatabase();
  moved = execFileSync(process.env.GZ_BIN || 'build-test/gongzhi', ['migrate', '--from', source, '--to', target.url],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
});

after(() => {
  target?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every table arrives with the same rows, and the chain is checked on arrival', { skip }, () => {
  assert.match(moved, /row counts match, audit chain intact \(\d+ records\)/);
  const tables = movedTables(source);
  assert.ok(tables.includes('audit_log') && tables.includes('account') && tables.length >= 10, tables.join(' '));
  for (const t of tables) {
    assert.equal(sqlValue(target.url, `SELECT COUNT(*) FROM ${t}`), sqlValue(source, `SELECT COUNT(*) FROM ${t}`), t);
  }
  for (const t of ['account', 'person', 'org_unit']) {
    assert.equal(sqlValue(target.url, `SELECT MAX(id) FROM ${t}`), sqlValue(source, `SELECT MAX(id) FROM ${t}`), `${t} ids kept`);
  }
  assert.equal(sqlValue(target.url, 'SELECT last_hash FROM audit_head'), sqlValue(source, 'SELECT last_hash FROM audit_head'));
  assert.match(runGongzhi(['audit', 'verify', '--db', target.url]), /audit chain intact/);
});

test('the search index is rebuilt with the same tokens', { skip }, () => {
  if (!movedTables(source).includes('need')) return;   // a schema without needs has nothing to index
  assert.ok(Number(sqlValue(source, 'SELECT COUNT(*) FROM need')) > 0, 'the demo has needs');
  assert.equal(sqlValue(target.url, "SELECT COUNT(*) FROM need WHERE search = ''"), '0');
  // A query matches exactly the needs containing it (src/text/text.h).
  for (const q of ['电梯', '停车', '梯']) {
    const found = sqlValue(target.url, `SELECT COUNT(*) FROM need WHERE search @@ '${q}'::tsquery`);
    const containing = sqlValue(source, `SELECT COUNT(*) FROM need WHERE title LIKE '%${q}%' OR body LIKE '%${q}%'`);
    assert.equal(found, containing, q);
  }
});

test('the site goes on where it left off: old sessions, passwords and new ids', { skip }, async () => {
  const server = await startServer({ db: target.url });
  try {
    const c = server.client();
    for (const [k, v] of oldCookies) c.cookies.set(k, v);
    const account = await c.get('/account');
    assert.equal(account.status, 200, 'a session from before the move');
    assert.match(account.text, /mover/);
    const fresh = server.client();
    await fresh.login('mover', 'abc12345');
    const newcomer = server.client();
    const form = await newcomer.get('/register');
    const community = /<option value="(\d+)"/.exec(form.text)[1];
    const reg = await newcomer.post('/register', { login: 'arrived', password: 'abc12345', name: '新人', phone: '', community, kind: 'resident' });
    // The new person and account get ids after the copied ones (an identity
    // left at 1 would collide with a copied id and refuse the registration).
    assert.equal(reg.status, 303, 'registration after the move');
    assert.ok(Number(sqlValue(target.url, "SELECT id FROM account WHERE login = 'arrived'")) >
              Number(sqlValue(source, 'SELECT MAX(id) FROM account')));
  } finally {
    await server.stop();
  }
  assert.match(runGongzhi(['audit', 'verify', '--db', target.url]), /audit chain intact/);
});

test('a target that already holds data is refused and left as it is', { skip }, () => {
  const before = sqlValue(target.url, 'SELECT COUNT(*) FROM audit_log');
  const r = refused(['migrate', '--from', source, '--to', target.url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already holds data/);
  assert.match(r.stderr, /nothing was written/);
  assert.equal(sqlValue(target.url, 'SELECT COUNT(*) FROM audit_log'), before);
});

test('a source whose audit chain is broken is not carried along', { skip }, () => {
  const tampered = path.join(dir, 'tampered.db');
  copyFileSync(source, tampered);
  execFileSync('sqlite3', [tampered, "UPDATE audit_log SET summary = 'changed' WHERE id = 3"]);
  const empty = freshDatabase();
  try {
    const r = refused(['migrate', '--from', tampered, '--to', empty.url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /broken at record 3/);
    assert.equal(sqlValue(empty.url, 'SELECT COUNT(*) FROM pg_tables WHERE tablename = \'audit_log\''), '0');
  } finally {
    empty.cleanup();
  }
});

test('bad arguments get a sentence and exit status 2', { skip }, () => {
  assert.equal(refused(['migrate', '--from', source]).status, 2);
  const r = refused(['migrate', '--from', source, '--to', path.join(dir, 'other.db')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--to must be a postgres:\/\/ URL/);
  assert.equal(refused(['migrate', '--from', path.join(dir, 'missing.db'), '--to', target.url]).status, 1);
});
