// Shared by the administration tests and the authorization matrix: a
// fingerprint of the whole database (the row count of every table and the
// audit head) to prove that a refusal changed nothing, and look-ups of the
// demo street's ids.
import { sqlValue } from '../lib/server.mjs';

const tableCache = new Map();

// The database's tables, read once per database (migrations do not run
// while a test server is up).
export function tables(db) {
  if (!tableCache.has(db)) {
    const sql = db.startsWith('postgres')
      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
        // FTS5 tables need the server's tokenizer to be read; their shadow
        // tables (_content, _data, ...) are plain and counted instead.
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY 1";
    tableCache.set(db, sqlValue(db, sql).split('\n').filter(Boolean));
  }
  return tableCache.get(db);
}

// One query: "table=count;..." and the audit head.  Every state change is
// audited, so the head moves with any change, including updates that leave
// the counts alone.
export function fingerprint(db) {
  const parts = tables(db).map((t) => `'${t}=' || (SELECT COUNT(*) FROM "${t}")`);
  parts.push("'head=' || (SELECT last_id || ':' || last_hash FROM audit_head WHERE id = 1)");
  return sqlValue(db, 'SELECT ' + parts.join(" || ';' || "));
}

export const q = (db, sql) => sqlValue(db, sql);
export const num = (db, sql) => Number(sqlValue(db, sql));

// Ids of the demo street, found by name so the tests do not depend on the
// order the demo builder creates things in.
export function demoIds(db) {
  const one = (sql) => num(db, sql);
  const person = (login) => one(`SELECT person_id FROM account WHERE login = '${login}'`);
  const community = (n) => one(`SELECT id FROM org_unit WHERE kind = 'community' ORDER BY id LIMIT 1 OFFSET ${n - 1}`);
  const ids = {
    street: one("SELECT id FROM org_unit WHERE kind = 'street' ORDER BY id LIMIT 1"),
    community1: community(1),
    community2: community(2),
    person: Object.fromEntries(['admin', 'street', 'staff1', 'staff2', 'delegate1', 'builder', 'resident1',
      'resident2', 'unit1'].map((l) => [l, person(l)])),
  };
  const path = (id) => q(db, `SELECT path FROM org_unit WHERE id = ${id}`);
  ids.community1Path = path(ids.community1);
  ids.community2Path = path(ids.community2);
  ids.grid1 = one(`SELECT id FROM org_unit WHERE parent_id = ${ids.community1} ORDER BY id LIMIT 1`);
  // A building nobody lives in and no role is held in: deletable.
  ids.emptyBuilding = one(`SELECT u.id FROM org_unit u WHERE u.kind = 'building'
    AND NOT EXISTS (SELECT 1 FROM person p WHERE p.home_unit_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.unit_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM org_unit c WHERE c.parent_id = u.id) ORDER BY u.id DESC LIMIT 1`);
  ids.staff1Role = one(`SELECT id FROM role_assignment WHERE person_id = ${ids.person.staff1} AND role = 'community_staff'`);
  return ids;
}

// The sentence of the error page or notice, for asserting on refusals.
export function sentence(html) {
  const m = /<section class="error"><h1>[^<]*<\/h1><p>([^<]*)<\/p>/.exec(html) ||
    /<p class="notice error"[^>]*>([^<]*)</.exec(html);
  return m ? m[1] : '';
}
