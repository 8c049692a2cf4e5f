-- Statements of community meetings recorded for needs intake.

-- name: community_meeting_insert
INSERT INTO community_meeting (street_id, unit_id, title, held_on, place, attendance, notes, created_by, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id;

-- name: community_meeting_get
SELECT m.id, m.street_id, m.unit_id, u.name, u.path, m.title, m.held_on, m.place, m.attendance, m.notes,
       m.created_at
FROM community_meeting m JOIN org_unit u ON u.id = m.unit_id WHERE m.id = ?1;

-- Meetings held in units under the path ?2 ('' for the whole street), newest first.
-- name: community_meeting_list
SELECT m.id, m.street_id, m.unit_id, u.name, u.path, m.title, m.held_on, m.place, m.attendance, m.notes,
       m.created_at
FROM community_meeting m JOIN org_unit u ON u.id = m.unit_id
WHERE m.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%')
ORDER BY m.held_on DESC, m.id DESC LIMIT ?3 OFFSET ?4;

-- name: community_meeting_count
SELECT COUNT(*) FROM community_meeting m JOIN org_unit u ON u.id = m.unit_id
WHERE m.street_id = ?1 AND (?2 = '' OR u.path LIKE ?2 || '%');

-- The needs raised at a meeting (read from the needs' table; they are
-- created through need_create_in with meeting_id set).
-- name: community_meeting_needs
SELECT n.id, n.title, n.category, n.status, n.hidden, n.created_at
FROM need n WHERE n.street_id = ?1 AND n.meeting_id = ?2 ORDER BY n.id;
