// The command line's usage errors and help: a mistake gets one line that
// names it and exit status 2; every subcommand's --help exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN } from '../lib/server.mjs';

function gongzhi(args, env = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The subcommands as `gongzhi help` lists them ("  name  summary").
function subcommands() {
  const r = gongzhi(['help']);
  assert.equal(r.status, 0);
  const names = [...r.stdout.matchAll(/^ {2}([a-z-]+) +\S/gm)].map((m) => m[1]);
  assert.ok(names.length >= 6, r.stdout);
  return names;
}

const usageErrors = [
  { args: ['serve', '--bogus'], names: '--bogus' },
  { args: ['serve', '--bogus=1'], names: '--bogus' },
  { args: ['demo', '--listen', '127.0.0.1:9'], names: '--listen' },   // an option of another subcommand
  { args: ['serve', '--listen', 'nonsense'], names: "'nonsense'" },
  { args: ['serve', '--listen', '127.0.0.1'], names: "'127.0.0.1'" },
  { args: ['serve', '--listen', '127.0.0.1:99999'], names: "'127.0.0.1:99999'" },
  { args: ['serve', '--listen', ':8080'], names: "':8080'" },
  { args: ['serve', '--listen=127.0.0.1:80x'], names: "'127.0.0.1:80x'" },
  { args: ['serve', '--workers', 'abc'], names: "'abc'" },
  { args: ['serve', '--workers', '0'], names: "'0'" },
  { args: ['serve', '--workers', '-1'], names: "'-1'" },
  { args: ['serve', '--workers', '1.5'], names: "'1.5'" },
  { args: ['serve', '--timeout=99999'], names: "'99999'" },
  { args: ['serve', '--max-body-kb', '99999999999999999999'], names: "'99999999999999999999'" },
  { args: ['serve', '--group-commit=maybe'], names: "'maybe'" },
  { args: ['demo', '--db'], names: '--db' },
  { args: ['nosuchcommand'], names: "'nosuchcommand'" },
  { args: ['audit'], names: 'verify' },
  { args: ['audit', 'frob'], names: 'verify' },
  { args: ['audit', 'verify', '--bogus'], names: '--bogus' },
  { args: ['backup', '--db', '/nonexistent/x.db'], names: 'file to write' },
  { args: ['init', '--db', '/nonexistent/x.db', 'only-one'], names: 'district' },
  { args: ['serve'], env: { GONGZHI_WORKERS: 'many' }, names: 'GONGZHI_WORKERS' },
];

for (const c of usageErrors) {
  const shown = c.args.join(' ') + (c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : '');
  test(`usage error: gongzhi ${shown}`, () => {
    const r = gongzhi(c.args, c.env);
    assert.equal(r.status, 2, `exit status\n${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line:\n${r.stderr}`);
    assert.ok(lines[0].startsWith('gongzhi'), lines[0]);
    assert.ok(lines[0].includes(c.names), `names ${c.names}: ${lines[0]}`);
    assert.equal(r.stdout, '', 'nothing on standard output');
  });
}

test('no arguments prints the command list and exits 2', () => {
  const r = gongzhi([]);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /usage: gongzhi COMMAND/);
});

test('every subcommand answers --help and -h with exit 0', () => {
  for (const name of subcommands()) {
    for (const flag of ['--help', '-h']) {
      const r = gongzhi([name, flag]);
      assert.equal(r.status, 0, `gongzhi ${name} ${flag}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0, `gongzhi ${name} ${flag} printed nothing`);
      assert.equal(r.stderr, '', `gongzhi ${name} ${flag} wrote to stderr`);
      if (!['help', 'version'].includes(name))
        assert.match(r.stdout, new RegExp(`usage: gongzhi ${name}\\b`), `gongzhi ${name} ${flag}`);
    }
  }
});

test('--help of a subcommand lists its options and only those', () => {
  const serve = gongzhi(['serve', '--help']).stdout;
  assert.match(serve, /--listen/);
  assert.match(serve, /--db/);
  const demo = gongzhi(['demo', '--help']).stdout;
  assert.match(demo, /--db/);
  assert.doesNotMatch(demo, /--listen/);
});

test('gongzhi --help, help and --version exit 0', () => {
  assert.equal(gongzhi(['--help']).status, 0);
  assert.equal(gongzhi(['help']).status, 0);
  const v = gongzhi(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^gongzhi \d+\.\d+\.\d+/);
});
