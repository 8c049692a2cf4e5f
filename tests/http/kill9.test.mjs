// Nothing acknowledged is lost when the server is killed: a load of need
// submissions runs while the server gets SIGKILL at random moments; after
// every restart each acknowledged need is there, the database checks clean
// and the audit chain verifies.  GZ_KILLS sets how many kills (default 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runGongzhi, sqlValue, BACKEND } from '../lib/server.mjs';

const KILLS = Number(process.env.GZ_KILLS || 5);
const CONCURRENCY = 16;

async function signedInStaff(server) {
  const c = server.client();
  await c.login('staff1');
  c.csrf = (await c.get('/api/v1/meta')).json().csrf_token;
  return c;
}

// Submits needs as fast as it can until the server goes away; returns the acknowledged ids.
async function load(server, client, community, round) {
  const acked = [];
  let stop = false;
  const worker = async (w) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await client.postJson('/api/v1/needs', {
          title: `断电测试 ${round}-${w}-${i}`, body: '服务器被强行终止时，已确认的意见建议不能丢失。',
          category: '其他', unit_id: community, channel: 'paper', submitter_name: '测试' });
        if (res.status === 201) acked.push(res.json().id);
      } catch {
        stop = true;   // the connection died with the server
      }
    }
  };
  return { acked, running: Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w))) };
}

test(`${KILLS} kills with SIGKILL lose no acknowledged need`, { timeout: 600000 }, async () => {
  const db = freshDatabase();
  runGongzhi(['demo', '--db', db.url]);
  const community = Number(sqlValue(db.url, "SELECT id FROM org_unit WHERE kind = 'community' ORDER BY id LIMIT 1"));
  const allAcked = [];
  try {
    for (let round = 0; round < KILLS; round++) {
      const server = await startServer({ db: db.url, keep: true });
      const client = await signedInStaff(server);
      const { acked, running } = await load(server, client, community, round);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await server.stop('SIGKILL');
      await running;
      assert.ok(acked.length > 0, `round ${round}: the load got answers before the kill`);
      allAcked.push(...acked);
      const present = new Set(sqlValue(db.url, 'SELECT id FROM need').split('\n').filter(Boolean).map(Number));
      const lost = acked.filter((id) => !present.has(id));
      assert.deepEqual(lost, [], `round ${round}: acknowledged needs missing after SIGKILL`);
      if (BACKEND === 'sqlite') assert.equal(sqlValue(db.url, 'PRAGMA integrity_check'), 'ok');
      const verify = runGongzhi(['audit', 'verify', '--db', db.url]);
      assert.match(verify, /audit chain intact/);
    }
    const present = new Set(sqlValue(db.url, 'SELECT id FROM need').split('\n').filter(Boolean).map(Number));
    assert.equal(allAcked.filter((id) => !present.has(id)).length, 0);
    console.log(`# kills survived: ${KILLS}, acknowledged needs checked: ${allAcked.length}`);
  } finally {
    db.cleanup();
  }
});
