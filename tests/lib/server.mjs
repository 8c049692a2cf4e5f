// Starts a real gongzhi server for a test, on a free port, with a fresh
// database holding the demo street, and gives a small HTTP client with a
// cookie jar.  Used by the HTTP tests (tests/http) and the browser tests.
//
// Environment:
//   GZ_BIN       the gongzhi binary (default build-test/gongzhi)
//   GZ_BACKEND   "sqlite" (default) or "postgres"
//   GZ_PG_URL    base URL of the test PostgreSQL server, e.g.
//                postgres://postgres@/?host=/tmp/gz-pg&port=55432 (see scripts/pg-test-cluster)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.GZ_BIN || path.join(root, 'build-test/gongzhi');
export const BACKEND = process.env.GZ_BACKEND || 'sqlite';
export const DEMO_PASSWORD = 'demo2026';
const VALGRIND = process.env.GZ_VALGRIND === '1';

let databaseCounter = 0;

// A fresh, empty database: a file in a temporary folder, or a new
// PostgreSQL database created for this test.
export function freshDatabase() {
  if (BACKEND === 'postgres') {
    const base = process.env.GZ_PG_URL;
    if (!base) throw new Error('GZ_BACKEND=postgres needs GZ_PG_URL');
    const name = `gz_test_${process.pid}_${Date.now()}_${databaseCounter++}`;
    const url = new URL(base);
    const admin = new URL(base);
    admin.pathname = '/postgres';
    execFileSync('psql', [admin.toString(), '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
    url.pathname = '/' + name;
    return { url: url.toString(), cleanup() {
      try { execFileSync('psql', [admin.toString(), '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' }); } catch {}
    } };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-test-'));
  return { url: path.join(dir, 'test.db'), dir, cleanup() { rmSync(dir, { recursive: true, force: true }); } };
}

export function runGongzhi(args, options = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

// Starts `gongzhi serve`.  Options: db (an existing database URL; default a
// fresh one with the demo), demo (default true), args (extra flags).
export async function startServer(options = {}) {
  const owned = options.db ? null : freshDatabase();
  const db = options.db || owned.url;
  if (options.demo !== false && !options.db) runGongzhi(['demo', '--db', db]);
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...(options.args || [])];
  // GZ_VALGRIND=1 runs the server under memcheck: any error, or a definite
  // leak at exit, makes stop() fail.
  const [command, argv] = VALGRIND
    ? ['valgrind', ['--quiet', '--error-exitcode=99', '--leak-check=full', '--show-leak-kinds=definite',
                    '--errors-for-leak-kinds=definite', BIN, ...args]]
    : [BIN, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env || {}) } });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), VALGRIND ? 120000 : 20000);
    const onData = (chunk) => {
      output += chunk;
      const m = /on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); });
  });
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', () => {});
  const base = `http://127.0.0.1:${port}`;
  return {
    base, port, db, child,
    stderr: () => output,
    client: () => new Client(base),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
        child.kill(signal);
        this.exit = await exited;
      }
      if (owned && !options.keep) owned.cleanup();
      if (VALGRIND && this.exit && this.exit.code === 99)
        throw new Error('valgrind memcheck found errors or definite leaks:\n' + output);
      return this.exit;
    },
  };
}

// A browser-like client: keeps cookies, never follows redirects by itself,
// and finds the CSRF token in the last page it fetched.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0$/i.test(a.trim())) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method, p, { body, headers = {}, type } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (type) h['content-type'] = type;
    const res = await fetch(this.base + p, { method, headers: h, body, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    const m = /name="csrf" value="([0-9a-f]+)"/.exec(text);
    if (m) this.csrf = m[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location'),
             json() { return JSON.parse(text); } };
  }

  get(p, options) { return this.request('GET', p, options); }

  // Posts a form; the CSRF token of the last page is added unless csrf: false.
  async post(p, fields = {}, { csrf = true, headers } = {}) {
    const form = new URLSearchParams();
    if (csrf && this.csrf && !('csrf' in fields)) form.set('csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return this.request('POST', p, { body: form.toString(), type: 'application/x-www-form-urlencoded', headers });
  }

  async postMultipart(p, formData) {
    if (this.csrf && !formData.has('csrf')) formData.set('csrf', this.csrf);
    const h = {};
    if (this.cookies.size) h.cookie = this.cookieHeader();
    const res = await fetch(this.base + p, { method: 'POST', headers: h, body: formData, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  async postJson(p, value) {
    const headers = this.csrf ? { 'x-csrf-token': this.csrf } : {};
    return this.request('POST', p, { body: JSON.stringify(value), type: 'application/json', headers });
  }

  async login(login, password = DEMO_PASSWORD) {
    await this.get('/login');
    const res = await this.post('/login', { login, password });
    if (res.status !== 303) throw new Error(`login ${login} failed: ${res.status}`);
    await this.get('/');   // picks up the session's CSRF token
    return res;
  }
}

// Reads one value from the database with the sqlite3 shell or psql.
export function sqlValue(db, sql) {
  if (db.startsWith('postgres')) {
    return execFileSync('psql', [db, '-At', '-c', sql], { encoding: 'utf8' }).trim();
  }
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}
