// The disk fills up: writes get 503 with a clear sentence, reads keep
// working, nothing is corrupted, and once space is freed the server writes
// again by itself.  The database lives on a small tmpfs mounted for the
// test (needs root; skipped elsewhere, and on PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, freshDatabase, runGongzhi, sqlValue, BACKEND } from '../lib/server.mjs';

function mountTmpfs(dir, bytes) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const skip = BACKEND !== 'sqlite' ? 'SQLite only: PostgreSQL manages its own disk'
  : process.getuid() !== 0 ? 'needs root to mount a small filesystem' : false;

test('a full disk refuses writes with 503, keeps reads, corrupts nothing, and recovers', { skip }, async () => {
  const seed = freshDatabase();
  runGongzhi(['demo', '--db', seed.url]);
  runGongzhi(['backup', '--db', seed.url, seed.url + '.copy']);
  const size = statSync(seed.url + '.copy').size;
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-full-'));
  // Room for the database, its WAL growing a little, and a filler to free later.
  const filler = 2 * 1024 * 1024;
  if (!mountTmpfs(dir, size + filler + 1024 * 1024)) {
    seed.cleanup();
    return;
  }
  const db = path.join(dir, 'full.db');
  copyFileSync(seed.url + '.copy', db);
  seed.cleanup();
  const server = await startServer({ db, keep: true });
  try {
    const c = server.client();
    await c.login('staff1');
    c.csrf = (await c.get('/api/v1/meta')).json().csrf_token;
    const community = Number(sqlValue(db, "SELECT id FROM org_unit WHERE kind = 'community' ORDER BY id LIMIT 1"));
    writeFileSync(path.join(dir, 'filler'), Buffer.alloc(filler, 1));
    const body = '这是一段用来填满磁盘的文字。'.repeat(120);
    const submit = (i) => c.postJson('/api/v1/needs', { title: `填满磁盘 ${i}`, body, category: '其他',
                                                          unit_id: community, channel: 'paper', submitter_name: '测试' });
    let full = null, accepted = 0;
    for (let i = 0; i < 5000 && !full; i++) {
      const res = await submit(i);
      if (res.status === 201) accepted++;
      else full = res;
    }
    assert.ok(full, 'the disk never filled');
    assert.equal(full.status, 503);
    assert.match(full.json().error.message, /存储空间已满/);
    const before = sqlValue(db, 'SELECT COUNT(*) FROM need');
    // Reads keep working while the disk is full.
    assert.equal((await c.get('/needs')).status, 200);
    assert.equal((await c.get('/api/v1/needs')).status, 200);
    assert.equal((await submit('again')).status, 503);
    assert.equal(sqlValue(db, 'SELECT COUNT(*) FROM need'), before, 'a refused write changed nothing');
    // Space comes back: writes work again without a restart.
    rmSync(path.join(dir, 'filler'));
    const after = await submit('after');
    assert.equal(after.status, 201, after.text);
    assert.equal(sqlValue(db, 'PRAGMA integrity_check'), 'ok');
    assert.match(runGongzhi(['audit', 'verify', '--db', db]), /audit chain intact/);
    console.log(`# disk full after ${accepted} needs; recovered`);
  } finally {
    await server.stop();
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
