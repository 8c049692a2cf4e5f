-- Statements of the in-site inbox (消息): notices telling people what became
-- of their needs, and the per-person daily digest setting.

-- Tells everyone behind need ?2 (its submitter, its supporters, and the
-- submitters and supporters of the needs merged into it) of its fate ?3.
-- name: inbox_notify_need
INSERT INTO inbox_message (street_id, person_id, kind, need_id, other_id, reason, created_at)
SELECT CAST(?1 AS BIGINT), people.who, CAST(?3 AS TEXT), CAST(?2 AS BIGINT), CAST(?4 AS BIGINT),
       CAST(?5 AS TEXT), CAST(?6 AS BIGINT)
FROM (SELECT person_id AS who FROM need
      WHERE street_id = ?1 AND (id = ?2 OR merged_into = ?2) AND person_id IS NOT NULL
      UNION
      SELECT s.person_id FROM need_support s JOIN need n ON n.id = s.need_id
      WHERE n.street_id = ?1 AND (n.id = ?2 OR n.merged_into = ?2)) AS people;

-- name: inbox_list
SELECT m.id, m.kind, m.need_id, COALESCE(m.other_id, 0), m.reason, m.created_at, COALESCE(m.read_at, 0),
       n.title, COALESCE(d.title, ''), COALESCE(p.title, '')
FROM inbox_message m JOIN need n ON n.id = m.need_id
LEFT JOIN draft d ON m.kind = 'consolidated' AND d.id = m.other_id
LEFT JOIN need p ON m.kind = 'merged' AND p.id = m.other_id
WHERE m.street_id = ?1 AND m.person_id = ?2
ORDER BY m.created_at DESC, m.id DESC LIMIT ?3 OFFSET ?4;

-- name: inbox_count
SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0)
FROM inbox_message WHERE street_id = ?1 AND person_id = ?2;

-- name: inbox_mark_read
UPDATE inbox_message SET read_at = ?3 WHERE street_id = ?1 AND person_id = ?2 AND read_at IS NULL;

-- name: inbox_setting_get
SELECT daily_digest FROM inbox_setting WHERE street_id = ?1 AND person_id = ?2;

-- name: inbox_setting_set
INSERT INTO inbox_setting (street_id, person_id, daily_digest) VALUES (?1, ?2, ?3)
ON CONFLICT (street_id, person_id) DO UPDATE SET daily_digest = excluded.daily_digest;
