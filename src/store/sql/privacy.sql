-- Personal data: what a resident can download about themselves, and the
-- pseudonymisation that answers a request for deletion.

-- name: privacy_needs_of_person
SELECT id, title, body, category, status, created_at, address FROM need
WHERE street_id = ?1 AND person_id = ?2 ORDER BY id;

-- name: privacy_supports_of_person
SELECT need_id, created_at FROM need_support WHERE street_id = ?1 AND person_id = ?2 ORDER BY need_id;

-- name: privacy_answers_of_person
SELECT r.survey_id, r.created_at, a.question_id, COALESCE(a.option_id, 0), COALESCE(a.value, 0), COALESCE(a.text, '')
FROM survey_response r JOIN survey_answer a ON a.response_id = r.id AND a.street_id = r.street_id
WHERE r.street_id = ?1 AND r.person_id = ?2 ORDER BY r.id, a.id;

-- name: privacy_inbox_of_person
SELECT kind, need_id, COALESCE(other_id, 0), reason, created_at FROM inbox_message
WHERE street_id = ?1 AND person_id = ?2 ORDER BY id;

-- The person stays, so counts (supports, needs, attendance) stay true; what
-- identifies them goes.
-- name: privacy_pseudonymise_person
UPDATE person SET name = ?3, phone = '', party_member = 0, verified = 0, pseudonymised = 1
WHERE street_id = ?1 AND id = ?2;

-- name: privacy_disable_account
UPDATE account SET login = ?3, password_hash = '!', disabled = 1 WHERE street_id = ?1 AND person_id = ?2;

-- name: privacy_clear_need_names
UPDATE need SET show_name = 0, address = '' WHERE street_id = ?1 AND person_id = ?2;

-- name: privacy_end_sessions
DELETE FROM session WHERE street_id = ?1
  AND account_id IN (SELECT id FROM account WHERE street_id = ?1 AND person_id = ?2);

-- name: privacy_end_roles
UPDATE role_assignment SET term_end = ?3
WHERE street_id = ?1 AND person_id = ?2 AND (term_end IS NULL OR term_end > ?3);
