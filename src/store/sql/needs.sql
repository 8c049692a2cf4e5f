-- Statements of 问需: needs, photos, supports, categories, the search index
-- and the accounting of every need's fate.
--
-- Full-text search differs by backend: SQLite keeps need_fts (FTS5 with the
-- "gongzhi" tokenizer), PostgreSQL a tsvector column need.search with a GIN
-- index.  The domain asks needs_backend once and passes each backend the
-- match text it understands (src/text/text.h builds both), always bound.

-- name: needs_backend
SELECT 'sqlite';
-- pg:
SELECT 'postgresql';

-- ---- categories ----

-- name: category_list
SELECT name FROM need_category WHERE street_id = ?1 ORDER BY position, id;

-- name: category_clear
DELETE FROM need_category WHERE street_id = ?1;

-- name: category_insert
INSERT INTO need_category (street_id, name, position) VALUES (?1, ?2, ?3);

-- ---- needs ----

-- name: need_insert
INSERT INTO need (street_id, year, title, body, category, community_id, unit_id, unit_path, address, person_id,
                  submitter_name, recorded_by, channel, meeting_id, answer_id, show_name, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id;

-- ?2 ?3: title and body (SQLite), or their tsvector literals (PostgreSQL);
-- ?4: scope words "s<street> c<community>".
-- name: need_index
INSERT INTO need_fts (rowid, title, body, scope) VALUES (?1, ?2, ?3, ?4);
-- pg:
UPDATE need SET search = setweight(CAST(?2 AS tsvector), 'A') || CAST(?3 AS tsvector)
WHERE id = ?1 AND CAST(?4 AS text) IS NOT NULL;

-- The columns every need query returns, in this order (see need_from_row).
-- name: need_get
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
WHERE n.street_id = ?1 AND n.id = ?2;

-- Filters: ?2 category ('' any), ?3 community (0 any), ?4 status ('' any),
-- ?5 ?6 created in [from, to).  Lists show hidden needs (as a notice in
-- their place); ?7 ?8 limit and offset.
-- The page's ids come first, newest first, and only those needs are read in
-- full: sorting the joined rows would read every need of the street and
-- count its supports (seconds over a million needs).  The unary + keeps
-- SQLite off need_by_street, whose order is not the list's, so it walks the
-- ids backwards and stops after the page.
-- name: need_list
SELECT n.id, n.street_id, n.year, n.title, n.body, n.category, n.community_id, c.name, n.unit_id, u.name,
       n.unit_path, n.address, COALESCE(n.person_id, 0), COALESCE(p.name, n.submitter_name),
       COALESCE(n.recorded_by, 0), n.channel, n.show_name, n.status, COALESCE(n.merged_into, 0),
       COALESCE(n.draft_id, 0), n.decline_reason, n.hidden, n.hidden_reason, n.created_at,
       (SELECT COUNT(*) FROM need_support s WHERE s.need_id = n.id),
       (SELECT COUNT(*) FROM need m WHERE m.merged_into = n.id),
       (SELECT COUNT(*) FROM need_photo ph WHERE ph.need_id = n.id),
       COALESCE(n.meeting_id, 0), COALESCE(n.answer_id, 0), COALESCE(n.decided_at, 0)
FROM (SELECT n.id FROM need n
      WHERE +n.street_id = ?1 AND (?2 = '' OR n.category = ?2) AND (?3 = 0 OR n.community_id = ?3)
        AND (?4 = '' OR n.status = ?4) AND +n.created_at >= ?5 AND +n.created_at < ?6
      ORDER BY n.id DESC LIMIT ?7 OFFSET ?8) AS page
JOIN need n ON n.id = page.id JOIN org_unit c ON c.id = n.community_id JOIN org_unit u ON u.id = n.unit_id
LEFT JOIN person p ON p.id = n.person_id
ORDER BY n.id DESC;

-- Needs of the street, kept by triggers (0004-need-tally.sql): the
-- unfiltered list's count without counting every need.
-- name: need_tally_get
SELECT needs FROM need_tally WHERE street_id = ?1;

-- name: need_count
SELECT COUNT(*) FROM need n
WHERE n.street_id = ?1 AND (?2 = '' OR n.category = ?2) AND (?3 = 0 OR n.community_id = ?3)
  AND (?4 = '' OR n.status = ?4) AND n.created_at >= ?5 AND n.created_at < ?6;

-- Search: the filters of need_list, ?7 1 to include hidden needs,
-- ?8 ?9 limit and offset, ?10 the match expression, ?11 the
-- query as typed (a need whose title is exactly the query comes first).
-- Hidden needs are found only when ?7 = 1 (staff), so searching cannot
-- reveal what moderation took down.  The last column is the number of
-- matches (on SQLite at most 1001, see below), so one pass over the index
-- both counts and ranks; need_search_count is for a page past the end.
-- SQLite ranks the newest 1000 matches (NEED_SEARCH_MAX in needs.h) and no
-- more: bm25() counts every need holding each phrase, a quarter of a second
-- over a million needs.  Among them a need titled exactly as the query comes
-- first, then those with the query in their title (highlight() marks it),
-- newest first; only the page's needs are then read in full.
-- name: need_search
SELECT n.id, n.street_id, n.year, n.title, n.body, n.category, n.community_id, c.name, n.unit_id, u.name,
       n.unit_path, n.address, COALESCE(n.person_id, 0), COALESCE(p.name, n.submitter_name),
       COALESCE(n.recorded_by, 0), n.channel, n.show_name, n.status, COALESCE(n.merged_into, 0),
       COALESCE(n.draft_id, 0), n.decline_reason, n.hidden, n.hidden_reason, n.created_at,
       (SELECT COUNT(*) FROM need_support s WHERE s.need_id = n.id),
       (SELECT COUNT(*) FROM need m WHERE m.merged_into = n.id),
       (SELECT COUNT(*) FROM need_photo ph WHERE ph.need_id = n.id),
       COALESCE(n.meeting_id, 0), COALESCE(n.answer_id, 0), COALESCE(n.decided_at, 0), page.total
FROM (SELECT hit.id, hit.exact, hit.in_title, COUNT(*) OVER () AS total
      FROM (SELECT f.rowid AS id, n.title = ?11 AS exact,
                   instr(highlight(need_fts, 0, char(1), char(2)), char(1)) > 0 AS in_title
            FROM need_fts f CROSS JOIN need n ON n.id = f.rowid
            WHERE need_fts MATCH ?10 AND n.street_id = ?1 AND (?2 = '' OR n.category = ?2)
              AND (?3 = 0 OR n.community_id = ?3) AND (?4 = '' OR n.status = ?4) AND n.created_at >= ?5
              AND n.created_at < ?6 AND (?7 = 1 OR n.hidden = 0)
            ORDER BY f.rowid DESC LIMIT 1001) AS hit
      ORDER BY hit.exact DESC, hit.in_title DESC, hit.id DESC LIMIT ?8 OFFSET ?9) AS page
CROSS JOIN need n ON n.id = page.id JOIN org_unit c ON c.id = n.community_id
JOIN org_unit u ON u.id = n.unit_id LEFT JOIN person p ON p.id = n.person_id
ORDER BY page.exact DESC, page.in_title DESC, page.id DESC;
-- pg:
SELECT n.id, n.street_id, n.year, n.title, n.body, n.category, n.community_id, c.name, n.unit_id, u.name,
       n.unit_path, n.address, COALESCE(n.person_id, 0), COALESCE(p.name, n.submitter_name),
       COALESCE(n.recorded_by, 0), n.channel, n.show_name, n.status, COALESCE(n.merged_into, 0),
       COALESCE(n.draft_id, 0), n.decline_reason, n.hidden, n.hidden_reason, n.created_at,
       (SELECT COUNT(*) FROM need_support s WHERE s.need_id = n.id),
       (SELECT COUNT(*) FROM need m WHERE m.merged_into = n.id),
       (SELECT COUNT(*) FROM need_photo ph WHERE ph.need_id = n.id),
       COALESCE(n.meeting_id, 0), COALESCE(n.answer_id, 0), COALESCE(n.decided_at, 0), COUNT(*) OVER ()
FROM need n JOIN org_unit c ON c.id = n.community_id
JOIN org_unit u ON u.id = n.unit_id LEFT JOIN person p ON p.id = n.person_id
WHERE n.search @@ CAST(?10 AS tsquery) AND n.street_id = ?1 AND (?2 = '' OR n.category = ?2)
  AND (?3 = 0 OR n.community_id = ?3) AND (?4 = '' OR n.status = ?4) AND n.created_at >= ?5
  AND n.created_at < ?6 AND (?7 = 1 OR n.hidden = 0)
ORDER BY (n.title = ?11) DESC, ts_rank(n.search, CAST(?10 AS tsquery)) DESC, n.id DESC LIMIT ?8 OFFSET ?9;

-- CROSS JOIN keeps the full-text index the outer loop: SQLite would
-- otherwise walk the street's needs and run the MATCH once per need.
-- SQLite counts at most 1001 (NEED_SEARCH_MAX + 1, "more than 1000"): a
-- one-character query matches a third of a million needs.
-- name: need_search_count
SELECT COUNT(*) FROM (
  SELECT 1 FROM need_fts f CROSS JOIN need n ON n.id = f.rowid
  WHERE need_fts MATCH ?8 AND n.street_id = ?1 AND (?2 = '' OR n.category = ?2) AND (?3 = 0 OR n.community_id = ?3)
    AND (?4 = '' OR n.status = ?4) AND n.created_at >= ?5 AND n.created_at < ?6 AND (?7 = 1 OR n.hidden = 0)
  ORDER BY f.rowid DESC LIMIT 1001) AS capped;
-- pg:
SELECT COUNT(*) FROM need n
WHERE n.search @@ CAST(?8 AS tsquery) AND n.street_id = ?1 AND (?2 = '' OR n.category = ?2)
  AND (?3 = 0 OR n.community_id = ?3) AND (?4 = '' OR n.status = ?4) AND n.created_at >= ?5
  AND n.created_at < ?6 AND (?7 = 1 OR n.hidden = 0);

-- Candidates for "perhaps already raised": open, visible needs sharing a
-- distinctive term with the text (?1); C ranks them by similarity.  SQLite
-- takes the newest 500: ranking by bm25() would first count every need
-- holding each term, most of a large street for common words (a third of a
-- second over a million needs).
-- name: need_similar_candidates
SELECT n.id, n.title, n.body, n.community_id
FROM need_fts f CROSS JOIN need n ON n.id = f.rowid
WHERE need_fts MATCH ?1 AND n.street_id = ?2 AND n.status = 'open' AND n.hidden = 0 AND n.id <> ?3
ORDER BY f.rowid DESC LIMIT 500;
-- pg:
SELECT n.id, n.title, n.body, n.community_id
FROM need n
WHERE n.search @@ CAST(?1 AS tsquery) AND n.street_id = ?2 AND n.status = 'open' AND n.hidden = 0 AND n.id <> ?3
ORDER BY ts_rank(n.search, CAST(?1 AS tsquery)) DESC LIMIT 60;

-- Open, visible needs of a community, for near-duplicate clusters.
-- name: need_open_texts
SELECT n.id, n.title, n.body FROM need n
WHERE n.street_id = ?1 AND n.community_id = ?2 AND n.status = 'open' AND n.hidden = 0
ORDER BY n.id LIMIT 5000;

-- Needs merged into ?2, oldest first.
-- name: need_merged_children
SELECT n.id, n.title, COALESCE(p.name, n.submitter_name), n.show_name, n.created_at,
       (SELECT COUNT(*) FROM need_support s WHERE s.need_id = n.id)
FROM need n LEFT JOIN person p ON p.id = n.person_id
WHERE n.street_id = ?1 AND n.merged_into = ?2 ORDER BY n.id;

-- Distinct people behind a need and the needs merged into it: submitters
-- and supporters with an account, plus each recorded need without one.
-- name: need_people_count
SELECT (SELECT COUNT(*) FROM (
          SELECT person_id FROM need WHERE street_id = ?1 AND (id = ?2 OR merged_into = ?2) AND person_id IS NOT NULL
          UNION
          SELECT s.person_id FROM need_support s JOIN need n ON n.id = s.need_id
          WHERE n.street_id = ?1 AND (n.id = ?2 OR n.merged_into = ?2)) AS people)
     + (SELECT COUNT(*) FROM need WHERE street_id = ?1 AND (id = ?2 OR merged_into = ?2) AND person_id IS NULL);

-- ---- changes of state (each guarded by the state it leaves) ----

-- name: need_set_merged
UPDATE need SET status = 'merged', merged_into = ?3, decided_at = ?4
WHERE street_id = ?1 AND id = ?2 AND status = 'open';

-- name: need_set_unmerged
UPDATE need SET status = 'open', merged_into = NULL, decided_at = NULL
WHERE street_id = ?1 AND id = ?2 AND status = 'merged';

-- name: need_set_consolidated
UPDATE need SET status = 'consolidated', draft_id = ?3, decided_at = ?4
WHERE street_id = ?1 AND id = ?2 AND status = 'open';

-- name: need_set_declined
UPDATE need SET status = 'declined', decline_reason = ?3, decided_at = ?4
WHERE street_id = ?1 AND id = ?2 AND status = 'open';

-- name: need_set_reopened
UPDATE need SET status = 'open', decline_reason = '', decided_at = NULL
WHERE street_id = ?1 AND id = ?2 AND status = 'declined';

-- name: need_set_withdrawn
UPDATE need SET status = 'withdrawn', decided_at = ?3
WHERE street_id = ?1 AND id = ?2 AND status = 'open';

-- name: need_set_hidden
UPDATE need SET hidden = ?3, hidden_reason = ?4 WHERE street_id = ?1 AND id = ?2;

-- ---- photos ----

-- name: need_photo_insert
INSERT INTO need_photo (street_id, need_id, position, mime, data) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: need_photo_get
SELECT mime, data FROM need_photo WHERE street_id = ?1 AND need_id = ?2 AND position = ?3;

-- ---- supports (附议) ----

-- name: support_insert
INSERT INTO need_support (street_id, need_id, person_id, created_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT DO NOTHING;

-- name: support_delete
DELETE FROM need_support WHERE street_id = ?1 AND need_id = ?2 AND person_id = ?3;

-- name: support_exists
SELECT COUNT(*) FROM need_support WHERE street_id = ?1 AND need_id = ?2 AND person_id = ?3;

-- Which needs with ids in [?3, ?4] the person supports (a page of a list).
-- name: support_of_person
SELECT need_id FROM need_support WHERE street_id = ?1 AND person_id = ?2 AND need_id BETWEEN ?3 AND ?4
ORDER BY need_id;

-- ---- accounting: every need has exactly one fate ----

-- A merged need's fate is its primary's.  Rows: fate, needs, of which merged.
-- name: need_fates
SELECT COALESCE(p.status, n.status) AS fate, COUNT(*),
       SUM(CASE WHEN n.status = 'merged' THEN 1 ELSE 0 END)
FROM need n LEFT JOIN need p ON p.id = n.merged_into
WHERE n.street_id = ?1 AND (?2 = 0 OR n.year = ?2)
GROUP BY COALESCE(p.status, n.status) ORDER BY 1;

-- name: need_total
SELECT COUNT(*) FROM need WHERE street_id = ?1 AND (?2 = 0 OR year = ?2);

-- Fates per community, for the accounting table.
-- name: need_fates_by_community
SELECT c.id, c.name, COALESCE(p.status, n.status) AS fate, COUNT(*)
FROM need n JOIN org_unit c ON c.id = n.community_id LEFT JOIN need p ON p.id = n.merged_into
WHERE n.street_id = ?1 AND (?2 = 0 OR n.year = ?2)
GROUP BY c.id, c.name, COALESCE(p.status, n.status) ORDER BY c.id, 3;

-- Years that have needs, newest first.
-- name: need_years
SELECT DISTINCT year FROM need WHERE street_id = ?1 ORDER BY year DESC;

-- The demo spreads its needs over the weeks the period has been open.
-- name: need_backdate
UPDATE need SET created_at = ?3 WHERE street_id = ?1 AND id = ?2;
