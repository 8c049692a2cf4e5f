-- Statements of draft matters (拟办实事意向): consolidated from needs, each
-- with a link back to every need it came from (need.draft_id).

-- name: draft_insert
INSERT INTO draft (street_id, year, title, description, category, scope_unit_id, scope_path, estimated_cost,
                   responsible_unit, created_by, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id;

-- ?2 ?3: title and description (SQLite) or their tsvector literals
-- (PostgreSQL); ?4 scope words.
-- name: draft_index
INSERT INTO draft_fts (rowid, title, body, scope) VALUES (?1, ?2, ?3, ?4);
-- pg:
UPDATE draft SET search = setweight(CAST(?2 AS tsvector), 'A') || CAST(?3 AS tsvector)
WHERE id = ?1 AND CAST(?4 AS text) IS NOT NULL;

-- The columns every draft query returns (see draft_from_row).  The people
-- count: distinct submitters and supporters of the source needs and of the
-- needs merged into them, plus each recorded need without an account.
-- name: draft_get
SELECT d.id, d.year, d.title, d.description, d.category, d.scope_unit_id, u.name, u.kind, d.scope_path,
       d.estimated_cost, d.responsible_unit, d.created_at,
       (SELECT COUNT(*) FROM need n WHERE n.draft_id = d.id),
       (SELECT COUNT(*) FROM (
          SELECT n.person_id FROM need n LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id) AND n.person_id IS NOT NULL
          UNION
          SELECT s.person_id FROM need_support s JOIN need n ON n.id = s.need_id LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id)) AS people)
       + (SELECT COUNT(*) FROM need n LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id) AND n.person_id IS NULL)
FROM draft d JOIN org_unit u ON u.id = d.scope_unit_id
WHERE d.street_id = ?1 AND d.id = ?2;

-- Filters: ?2 category ('' any), ?3 scope unit (0 any); ?4 ?5 limit, offset.
-- name: draft_list
SELECT d.id, d.year, d.title, d.description, d.category, d.scope_unit_id, u.name, u.kind, d.scope_path,
       d.estimated_cost, d.responsible_unit, d.created_at,
       (SELECT COUNT(*) FROM need n WHERE n.draft_id = d.id),
       (SELECT COUNT(*) FROM (
          SELECT n.person_id FROM need n LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id) AND n.person_id IS NOT NULL
          UNION
          SELECT s.person_id FROM need_support s JOIN need n ON n.id = s.need_id LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id)) AS people)
       + (SELECT COUNT(*) FROM need n LEFT JOIN need p ON p.id = n.merged_into
          WHERE n.street_id = d.street_id AND (n.draft_id = d.id OR p.draft_id = d.id) AND n.person_id IS NULL)
FROM draft d JOIN org_unit u ON u.id = d.scope_unit_id
WHERE d.street_id = ?1 AND (?2 = '' OR d.category = ?2) AND (?3 = 0 OR d.scope_unit_id = ?3)
ORDER BY d.id DESC LIMIT ?4 OFFSET ?5;

-- name: draft_count
SELECT COUNT(*) FROM draft d
WHERE d.street_id = ?1 AND (?2 = '' OR d.category = ?2) AND (?3 = 0 OR d.scope_unit_id = ?3);

-- The filters of draft_list, ?6 the match expression, ?7 the query as typed.
-- name: draft_search
SELECT d.id, d.year, d.title, d.description, d.category, d.scope_unit_id, u.name, u.kind, d.scope_path,
       d.estimated_cost, d.responsible_unit, d.created_at,
       (SELECT COUNT(*) FROM need n WHERE n.draft_id = d.id), 0
FROM draft_fts f CROSS JOIN draft d ON d.id = f.rowid JOIN org_unit u ON u.id = d.scope_unit_id
WHERE draft_fts MATCH ?6 AND d.street_id = ?1 AND (?2 = '' OR d.category = ?2) AND (?3 = 0 OR d.scope_unit_id = ?3)
ORDER BY (d.title = ?7) DESC, bm25(draft_fts, 10.0, 1.0, 0.0), d.id DESC LIMIT ?4 OFFSET ?5;
-- pg:
SELECT d.id, d.year, d.title, d.description, d.category, d.scope_unit_id, u.name, u.kind, d.scope_path,
       d.estimated_cost, d.responsible_unit, d.created_at,
       (SELECT COUNT(*) FROM need n WHERE n.draft_id = d.id), 0
FROM draft d JOIN org_unit u ON u.id = d.scope_unit_id
WHERE d.search @@ CAST(?6 AS tsquery) AND d.street_id = ?1 AND (?2 = '' OR d.category = ?2)
  AND (?3 = 0 OR d.scope_unit_id = ?3)
ORDER BY (d.title = ?7) DESC, ts_rank(d.search, CAST(?6 AS tsquery)) DESC, d.id DESC LIMIT ?4 OFFSET ?5;

-- name: draft_search_count
SELECT COUNT(*) FROM draft_fts f CROSS JOIN draft d ON d.id = f.rowid
WHERE draft_fts MATCH ?4 AND d.street_id = ?1 AND (?2 = '' OR d.category = ?2) AND (?3 = 0 OR d.scope_unit_id = ?3);
-- pg:
SELECT COUNT(*) FROM draft d
WHERE d.search @@ CAST(?4 AS tsquery) AND d.street_id = ?1 AND (?2 = '' OR d.category = ?2)
  AND (?3 = 0 OR d.scope_unit_id = ?3);

-- The source needs of a draft (need_get's columns).
-- name: draft_sources
SELECT n.id, n.street_id, n.year, n.title, n.body, n.category, n.community_id, c.name, n.unit_id, u.name,
       n.unit_path, n.address, COALESCE(n.person_id, 0), COALESCE(p.name, n.submitter_name),
       COALESCE(n.recorded_by, 0), n.channel, n.show_name, n.status, COALESCE(n.merged_into, 0),
       COALESCE(n.draft_id, 0), n.decline_reason, n.hidden, n.hidden_reason, n.created_at,
       (SELECT COUNT(*) FROM need_support s WHERE s.need_id = n.id),
       (SELECT COUNT(*) FROM need m WHERE m.merged_into = n.id),
       (SELECT COUNT(*) FROM need_photo ph WHERE ph.need_id = n.id),
       COALESCE(n.meeting_id, 0), COALESCE(n.answer_id, 0), COALESCE(n.decided_at, 0)
FROM need n JOIN org_unit c ON c.id = n.community_id JOIN org_unit u ON u.id = n.unit_id
LEFT JOIN person p ON p.id = n.person_id
WHERE n.street_id = ?1 AND n.draft_id = ?2 ORDER BY n.id;
