// Slow and flooding clients do not starve the others: while hundreds of
// connections from other addresses trickle their headers a byte at a time
// or just sit open, a normal visitor is still answered within a bound.
// Traffic stays on loopback; the test stops itself after a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

const BOUND_MS = 2000;

function slowConnection(port, localAddress, sockets) {
  const s = net.connect({ host: '127.0.0.1', port, localAddress });
  s.on('error', () => {});
  sockets.push(s);
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200) + '\r\n';
  let i = 0;
  const timer = setInterval(() => {
    if (s.destroyed || i >= request.length) return clearInterval(timer);
    s.write(request[i++]);
  }, 50);
  s.on('close', () => clearInterval(timer));
}

test('slowloris and a connection flood leave normal visitors served', { timeout: 60000 }, async () => {
  const server = await startServer({ args: ['--max-per-ip', '64', '--timeout', '10'] });
  const sockets = [];
  try {
    // 3 addresses x 100 slow connections (only 64 of each are taken) ...
    for (const addr of ['127.0.0.2', '127.0.0.3', '127.0.0.4'])
      for (let i = 0; i < 100; i++) slowConnection(server.port, addr, sockets);
    // ... and 300 idle connections from a fourth.
    for (let i = 0; i < 300; i++) {
      const s = net.connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.5' });
      s.on('error', () => {});
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const c = server.client();
    const times = [];
    for (let i = 0; i < 10; i++) {
      const start = Date.now();
      const res = await c.get(i % 2 ? '/' : '/healthz');
      times.push(Date.now() - start);
      assert.equal(res.status, 200);
      await new Promise((r) => setTimeout(r, 100));
    }
    const worst = Math.max(...times);
    console.log(`# 600 hostile connections open; a normal visitor's worst answer: ${worst} ms`);
    assert.ok(worst < BOUND_MS, `a normal request took ${worst} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});
