-- Statements of the foundation: schema bookkeeping, organisation, people,
-- roles, accounts, sessions, the audit chain and the yearly cycle.

-- name: schema_version
SELECT COALESCE(MAX(version), 0) FROM schema_migration;

-- name: schema_version_record
INSERT INTO schema_migration (version, applied_at) VALUES (?1, ?2);

-- Taken first in the migration transaction.  SQLite: BEGIN IMMEDIATE holds
-- the write lock already.  PostgreSQL: an advisory lock until the commit.
-- name: schema_lock
SELECT 1;
-- pg:
SELECT pg_advisory_xact_lock(7100301);

-- ---- streets and units ----

-- name: street_insert
INSERT INTO street (district, name, created_at) VALUES (?1, ?2, ?3) RETURNING id;

-- name: street_get
SELECT id, district, name FROM street WHERE id = ?1;

-- name: street_first
SELECT id, district, name FROM street ORDER BY id LIMIT 1;

-- name: street_count
SELECT COUNT(*) FROM street;

-- name: unit_insert
INSERT INTO org_unit (street_id, parent_id, kind, name, households, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id;

-- name: unit_set_path
UPDATE org_unit SET path = ?3 WHERE street_id = ?1 AND id = ?2;

-- name: unit_get
SELECT id, street_id, parent_id, kind, name, households, path FROM org_unit WHERE id = ?1;

-- name: unit_children
SELECT id, street_id, parent_id, kind, name, households, path FROM org_unit
WHERE street_id = ?1 AND parent_id = ?2 ORDER BY name, id;

-- name: unit_list_street
SELECT id, street_id, parent_id, kind, name, households, path FROM org_unit
WHERE street_id = ?1 ORDER BY path;

-- name: unit_list_kind
SELECT id, street_id, parent_id, kind, name, households, path FROM org_unit
WHERE street_id = ?1 AND kind = ?2 ORDER BY path;

-- name: unit_update
UPDATE org_unit SET name = ?3, households = ?4 WHERE street_id = ?1 AND id = ?2;

-- name: unit_child_count
SELECT COUNT(*) FROM org_unit WHERE street_id = ?1 AND parent_id = ?2;

-- name: unit_delete
DELETE FROM org_unit WHERE street_id = ?1 AND id = ?2;

-- ---- people and roles ----

-- name: person_insert
INSERT INTO person (street_id, name, phone, party_member, home_unit_id, kind, verified, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id;

-- name: person_get
SELECT p.id, p.street_id, p.name, p.phone, p.party_member, p.home_unit_id, p.kind, p.verified,
       COALESCE(u.name, ''), p.pseudonymised, COALESCE(u.path, '')
FROM person p LEFT JOIN org_unit u ON u.id = p.home_unit_id WHERE p.id = ?1;

-- name: person_list
SELECT p.id, p.street_id, p.name, p.phone, p.party_member, p.home_unit_id, p.kind, p.verified,
       COALESCE(u.name, ''), p.pseudonymised, COALESCE(u.path, '')
FROM person p LEFT JOIN org_unit u ON u.id = p.home_unit_id
WHERE p.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%')
ORDER BY p.id LIMIT ?3 OFFSET ?4;

-- name: person_count
SELECT COUNT(*) FROM person p LEFT JOIN org_unit u ON u.id = p.home_unit_id
WHERE p.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%');

-- name: person_update
UPDATE person SET name = ?3, phone = ?4, party_member = ?5, home_unit_id = ?6, kind = ?7
WHERE street_id = ?1 AND id = ?2;

-- name: person_set_verified
UPDATE person SET verified = ?3 WHERE street_id = ?1 AND id = ?2;

-- name: role_insert
INSERT INTO role_assignment (street_id, person_id, unit_id, role, delegate_kind, term_start, term_end, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id;

-- name: role_get
SELECT r.id, r.street_id, r.person_id, r.unit_id, r.role, COALESCE(r.delegate_kind, ''), r.term_start,
       r.term_end, u.name, u.path
FROM role_assignment r JOIN org_unit u ON u.id = r.unit_id WHERE r.id = ?1;

-- name: role_end
UPDATE role_assignment SET term_end = ?3 WHERE street_id = ?1 AND id = ?2;

-- Roles in force at ?2 for a person.
-- name: roles_of_person
SELECT r.id, r.street_id, r.person_id, r.unit_id, r.role, COALESCE(r.delegate_kind, ''), r.term_start,
       r.term_end, u.name, u.path
FROM role_assignment r JOIN org_unit u ON u.id = r.unit_id
WHERE r.person_id = ?1 AND r.term_start <= ?2 AND (r.term_end IS NULL OR r.term_end > ?2)
ORDER BY r.id;

-- All roles, past ones too, for the admin page of a person.
-- name: roles_history_of_person
SELECT r.id, r.street_id, r.person_id, r.unit_id, r.role, COALESCE(r.delegate_kind, ''), r.term_start,
       r.term_end, u.name, u.path
FROM role_assignment r JOIN org_unit u ON u.id = r.unit_id
WHERE r.street_id = ?1 AND r.person_id = ?2 ORDER BY r.term_start DESC, r.id DESC;

-- Delegates of a unit in force at ?3, with party membership for the majority rule.
-- name: delegates_of_unit
SELECT r.id, p.id, p.name, COALESCE(r.delegate_kind, ''), p.party_member
FROM role_assignment r JOIN person p ON p.id = r.person_id
WHERE r.street_id = ?1 AND r.unit_id = ?2 AND r.role = 'delegate'
  AND r.term_start <= ?3 AND (r.term_end IS NULL OR r.term_end > ?3)
ORDER BY p.id;

-- ---- accounts and sessions ----

-- name: account_insert
INSERT INTO account (street_id, person_id, login, password_hash, password_changed_at, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id;

-- name: account_by_login
SELECT a.id, a.street_id, a.person_id, a.password_hash, a.disabled, a.password_changed_at
FROM account a WHERE a.login = ?1;

-- name: account_get
SELECT a.id, a.street_id, a.person_id, a.login, a.password_hash, a.disabled, a.password_changed_at
FROM account a WHERE a.id = ?1;

-- name: account_by_person
SELECT id, login FROM account WHERE street_id = ?1 AND person_id = ?2;

-- name: account_set_password
UPDATE account SET password_hash = ?3, password_changed_at = ?4 WHERE street_id = ?1 AND id = ?2;

-- name: session_insert
INSERT INTO session (token_hash, street_id, account_id, csrf_token, created_at, last_seen_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?5);

-- name: session_lookup
SELECT s.account_id, s.street_id, s.csrf_token, s.created_at, s.last_seen_at,
       a.person_id, a.login, p.name, p.verified, p.kind
FROM session s JOIN account a ON a.id = s.account_id JOIN person p ON p.id = a.person_id
WHERE s.token_hash = ?1 AND a.disabled = 0;

-- name: session_touch
UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1;

-- name: session_delete
DELETE FROM session WHERE token_hash = ?1;

-- name: session_delete_account
DELETE FROM session WHERE street_id = ?1 AND account_id = ?2;

-- name: session_delete_expired
DELETE FROM session WHERE last_seen_at < ?1 OR created_at < ?2;

-- ---- audit chain ----

-- name: audit_head_get
SELECT last_id, last_hash FROM audit_head WHERE id = 1;
-- pg:
SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE;

-- The head without a lock, for checking the chain (also on a read-only
-- replica, where FOR UPDATE is refused).
-- name: audit_head_peek
SELECT last_id, last_hash FROM audit_head WHERE id = 1;

-- name: audit_head_set
UPDATE audit_head SET last_id = ?1, last_hash = ?2 WHERE id = 1;

-- name: audit_insert
INSERT INTO audit_log (id, street_id, at, actor_account_id, actor_role, action, object_type, object_id,
                       summary, prev_hash, hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);

-- Records in chain order, a page at a time (id > ?1).
-- name: audit_scan
SELECT id, COALESCE(street_id, 0), at, COALESCE(actor_account_id, 0), actor_role, action, object_type,
       COALESCE(object_id, 0), summary, prev_hash, hash
FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2;

-- name: audit_of_object
SELECT id, at, COALESCE(actor_account_id, 0), actor_role, action, summary
FROM audit_log WHERE street_id = ?1 AND object_type = ?2 AND object_id = ?3 ORDER BY id;

-- name: audit_recent
SELECT a.id, a.at, a.actor_role, a.action, a.object_type, COALESCE(a.object_id, 0), a.summary,
       COALESCE(p.name, '')
FROM audit_log a LEFT JOIN account ac ON ac.id = a.actor_account_id LEFT JOIN person p ON p.id = ac.person_id
WHERE a.street_id = ?1 AND a.id < ?2 ORDER BY a.id DESC LIMIT ?3;

-- ---- the yearly cycle ----

-- name: year_insert
INSERT INTO year_cycle (street_id, year, needs_start, needs_end, plans_start, plans_end, effects_start,
                        effects_end, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id;

-- name: year_update
UPDATE year_cycle SET needs_start = ?3, needs_end = ?4, plans_start = ?5, plans_end = ?6,
       effects_start = ?7, effects_end = ?8
WHERE street_id = ?1 AND year = ?2;

-- name: year_get
SELECT id, year, needs_start, needs_end, plans_start, plans_end, effects_start, effects_end
FROM year_cycle WHERE street_id = ?1 AND year = ?2;

-- name: year_list
SELECT id, year, needs_start, needs_end, plans_start, plans_end, effects_start, effects_end
FROM year_cycle WHERE street_id = ?1 ORDER BY year DESC;
