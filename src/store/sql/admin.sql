-- Statements of the administration pages: searching people, the audit log
-- a page at a time.  The organisation, role and year statements they also
-- use live in core.sql.

-- People of a street under a unit path (?2, '' for all), whose name contains
-- ?3 ('' for any).  ?3 arrives with LIKE's wildcards escaped by the caller.
-- name: admin_person_search
SELECT p.id, p.street_id, p.name, p.phone, p.party_member, p.home_unit_id, p.kind, p.verified,
       COALESCE(u.name, ''), p.pseudonymised, COALESCE(u.path, '')
FROM person p LEFT JOIN org_unit u ON u.id = p.home_unit_id
WHERE p.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%')
  AND (?3 = '' OR p.name LIKE '%' || ?3 || '%' ESCAPE '\')
ORDER BY p.id LIMIT ?4 OFFSET ?5;

-- name: admin_person_search_count
SELECT COUNT(*) FROM person p LEFT JOIN org_unit u ON u.id = p.home_unit_id
WHERE p.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%')
  AND (?3 = '' OR p.name LIKE '%' || ?3 || '%' ESCAPE '\');

-- A page of the street's audit log, newest first, older than record ?2:
-- paging by id stays fast however long the log grows.
-- name: admin_audit_page
SELECT a.id, a.at, a.actor_role, a.action, a.object_type, COALESCE(a.object_id, 0), a.summary,
       COALESCE(p.name, ''), COALESCE(ac.login, '')
FROM audit_log a LEFT JOIN account ac ON ac.id = a.actor_account_id LEFT JOIN person p ON p.id = ac.person_id
WHERE a.street_id = ?1 AND a.id < ?2 ORDER BY a.id DESC LIMIT ?3;

-- People in force holding a role in a unit (for the unit page).
-- name: admin_roles_of_unit
SELECT r.id, r.person_id, p.name, r.role, COALESCE(r.delegate_kind, ''), r.term_start, r.term_end
FROM role_assignment r JOIN person p ON p.id = r.person_id
WHERE r.street_id = ?1 AND r.unit_id = ?2 AND r.term_start <= ?3 AND (r.term_end IS NULL OR r.term_end > ?3)
ORDER BY r.role, p.id;

-- How many people live in a unit and how many roles are held in it, to
-- explain a refused delete before the foreign keys refuse it.
-- name: admin_unit_references
SELECT (SELECT COUNT(*) FROM person WHERE street_id = ?1 AND home_unit_id = ?2),
       (SELECT COUNT(*) FROM role_assignment WHERE street_id = ?1 AND unit_id = ?2);
