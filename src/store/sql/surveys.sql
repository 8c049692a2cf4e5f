-- Statements of questionnaires: the questionnaire, its questions and
-- options, one-time codes, responses, and the figures for results.

-- ---- questionnaires ----

-- name: survey_insert
INSERT INTO survey (street_id, unit_id, title, intro, state, created_by, created_at)
VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6) RETURNING id;

-- name: survey_get
SELECT s.id, s.street_id, s.unit_id, u.name, u.path, s.title, s.intro, s.state, s.created_at,
       COALESCE(s.published_at, 0), COALESCE(s.closed_at, 0),
       (SELECT COUNT(*) FROM survey_response r WHERE r.street_id = s.street_id AND r.survey_id = s.id)
FROM survey s JOIN org_unit u ON u.id = s.unit_id WHERE s.id = ?1;

-- name: survey_update
UPDATE survey SET title = ?3, intro = ?4 WHERE street_id = ?1 AND id = ?2 AND state = 'draft';

-- Moves the state on only from the expected one, so two staff acting at once
-- cannot both succeed.
-- name: survey_set_state
UPDATE survey SET state = ?4,
  published_at = CASE WHEN ?4 = 'published' THEN ?5 ELSE published_at END,
  closed_at = CASE WHEN ?4 = 'closed' THEN ?5 ELSE closed_at END
WHERE street_id = ?1 AND id = ?2 AND state = ?3;

-- Published and closed questionnaires for everyone; drafts only under the
-- unit path ?2 ('' for none: a visitor sees no drafts).
-- name: survey_list
SELECT s.id, s.street_id, s.unit_id, u.name, u.path, s.title, s.intro, s.state, s.created_at,
       COALESCE(s.published_at, 0), COALESCE(s.closed_at, 0),
       (SELECT COUNT(*) FROM survey_response r WHERE r.street_id = s.street_id AND r.survey_id = s.id)
FROM survey s JOIN org_unit u ON u.id = s.unit_id
WHERE s.street_id = ?1 AND (s.state <> 'draft' OR (?2 <> '' AND u.path LIKE ?2 || '%'))
ORDER BY CASE s.state WHEN 'published' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, s.id DESC
LIMIT ?3 OFFSET ?4;

-- name: survey_count
SELECT COUNT(*) FROM survey s JOIN org_unit u ON u.id = s.unit_id
WHERE s.street_id = ?1 AND (s.state <> 'draft' OR (?2 <> '' AND u.path LIKE ?2 || '%'));

-- ---- questions and options ----

-- name: survey_question_insert
INSERT INTO survey_question (street_id, survey_id, position, kind, prompt, required)
VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM survey_question WHERE street_id = ?1 AND survey_id = ?2),
        ?3, ?4, ?5) RETURNING id;

-- name: survey_question_count
SELECT COUNT(*) FROM survey_question WHERE street_id = ?1 AND survey_id = ?2;

-- name: survey_questions
SELECT id, position, kind, prompt, required FROM survey_question
WHERE street_id = ?1 AND survey_id = ?2 ORDER BY position, id;

-- name: survey_question_get
SELECT id, survey_id, position, kind, prompt, required FROM survey_question WHERE street_id = ?1 AND id = ?2;

-- name: survey_question_delete
DELETE FROM survey_question WHERE street_id = ?1 AND id = ?2;

-- Closes the gap a deleted question leaves.
-- name: survey_question_close_gap
UPDATE survey_question SET position = position - 1 WHERE street_id = ?1 AND survey_id = ?2 AND position > ?3;

-- name: survey_question_neighbour
SELECT id, position FROM survey_question WHERE street_id = ?1 AND survey_id = ?2 AND position = ?3;

-- name: survey_question_set_position
UPDATE survey_question SET position = ?3 WHERE street_id = ?1 AND id = ?2;

-- name: survey_option_insert
INSERT INTO survey_option (street_id, question_id, position, label) VALUES (?1, ?2, ?3, ?4) RETURNING id;

-- name: survey_option_delete_question
DELETE FROM survey_option WHERE street_id = ?1 AND question_id = ?2;

-- Every option of a questionnaire, in question then option order.
-- name: survey_options
SELECT o.id, o.question_id, o.label FROM survey_option o JOIN survey_question q ON q.id = o.question_id
WHERE q.street_id = ?1 AND q.survey_id = ?2 ORDER BY q.position, o.position, o.id;

-- ---- one-time codes ----

-- name: survey_code_insert
INSERT INTO survey_code (street_id, survey_id, code, batch, created_at) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: survey_code_next_batch
SELECT COALESCE(MAX(batch), 0) + 1 FROM survey_code WHERE street_id = ?1 AND survey_id = ?2;

-- name: survey_code_lookup
SELECT id, COALESCE(used_at, 0) FROM survey_code WHERE street_id = ?1 AND survey_id = ?2 AND code = ?3;

-- name: survey_code_use
UPDATE survey_code SET used_at = ?3 WHERE street_id = ?1 AND id = ?2 AND used_at IS NULL;

-- name: survey_codes
SELECT id, code, batch, created_at, COALESCE(used_at, 0) FROM survey_code
WHERE street_id = ?1 AND survey_id = ?2 AND (?3 = 0 OR batch = ?3) ORDER BY batch DESC, id
LIMIT ?4 OFFSET ?5;

-- name: survey_code_count
SELECT COUNT(*), COALESCE(SUM(CASE WHEN used_at IS NULL THEN 0 ELSE 1 END), 0) FROM survey_code
WHERE street_id = ?1 AND survey_id = ?2 AND (?3 = 0 OR batch = ?3);

-- ---- responses ----

-- name: survey_response_by_person
SELECT id FROM survey_response WHERE street_id = ?1 AND survey_id = ?2 AND person_id = ?3;

-- name: survey_response_insert
INSERT INTO survey_response (street_id, survey_id, person_id, code_id, created_at)
VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id;

-- name: survey_answer_insert
INSERT INTO survey_answer (street_id, response_id, question_id, option_id, value, text)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: survey_answer_get
SELECT a.id, a.response_id, a.question_id, COALESCE(a.text, ''), r.survey_id, COALESCE(r.person_id, 0), q.kind,
       r.created_at
FROM survey_answer a JOIN survey_response r ON r.id = a.response_id JOIN survey_question q ON q.id = a.question_id
WHERE a.street_id = ?1 AND a.id = ?2;

-- ---- results ----

-- Chosen options (single, multiple): count per option.
-- name: survey_result_choices
SELECT a.option_id, COUNT(*) FROM survey_answer a JOIN survey_question q ON q.id = a.question_id
WHERE q.street_id = ?1 AND q.survey_id = ?2 AND q.kind IN ('single', 'multiple') AND a.option_id IS NOT NULL
GROUP BY a.option_id;

-- Scale: count per value.
-- name: survey_result_scale
SELECT a.question_id, a.value, COUNT(*) FROM survey_answer a JOIN survey_question q ON q.id = a.question_id
WHERE q.street_id = ?1 AND q.survey_id = ?2 AND q.kind = 'scale'
GROUP BY a.question_id, a.value;

-- Ranking: how many ranked each option and the sum of its ranks.
-- name: survey_result_ranking
SELECT a.option_id, COUNT(*), SUM(a.value) FROM survey_answer a JOIN survey_question q ON q.id = a.question_id
WHERE q.street_id = ?1 AND q.survey_id = ?2 AND q.kind = 'ranking'
GROUP BY a.option_id;

-- Responses that answered each question.
-- name: survey_result_answered
SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM survey_answer a
JOIN survey_question q ON q.id = a.question_id
WHERE q.street_id = ?1 AND q.survey_id = ?2 GROUP BY a.question_id;

-- Free-text answers of one question, newest first.
-- name: survey_result_texts
SELECT a.id, a.text, r.created_at FROM survey_answer a JOIN survey_response r ON r.id = a.response_id
WHERE a.street_id = ?1 AND a.question_id = ?2 AND a.text IS NOT NULL
ORDER BY a.id DESC LIMIT ?3 OFFSET ?4;

-- Every answer of a questionnaire, by response, for the CSV export.
-- name: survey_export_answers
SELECT r.id, r.created_at, CASE WHEN r.person_id IS NULL THEN 'code' ELSE 'resident' END,
       a.question_id, COALESCE(a.option_id, 0), COALESCE(a.value, 0), a.text
FROM survey_response r LEFT JOIN survey_answer a ON a.response_id = r.id AND a.street_id = r.street_id
WHERE r.street_id = ?1 AND r.survey_id = ?2
ORDER BY r.id, a.question_id, a.value, a.id;

-- ---- links to needs ----

-- The need a free-text answer became, if any.
-- name: survey_answer_need
SELECT id FROM need WHERE street_id = ?1 AND answer_id = ?2 ORDER BY id LIMIT 1;

-- Needs made from the answers of one question: answer id, need id.
-- name: survey_question_needs
SELECT n.answer_id, n.id FROM need n JOIN survey_answer a ON a.id = n.answer_id
WHERE n.street_id = ?1 AND a.street_id = ?1 AND a.question_id = ?2;
