-- Questionnaires (调查问卷) and community meetings recorded for intake.
--
-- A questionnaire belongs to a street and is scoped to a unit: the street's
-- own unit (every resident of the street) or one community.  Its questions
-- are fixed once it is published.  Each response comes either from a signed-in
-- verified resident (person_id) or from a one-time paper code (code_id),
-- never both; the unique constraints make a second response impossible even
-- under a race.

CREATE TABLE survey (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  unit_id INTEGER NOT NULL REFERENCES org_unit(id),   -- scope: street unit or a community
  title TEXT NOT NULL,
  intro TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'closed')),
  created_by INTEGER REFERENCES account(id),           -- NULL for the system (demo)
  created_at INTEGER NOT NULL,
  published_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX survey_by_state ON survey(street_id, state, id);

CREATE TABLE survey_question (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  position INTEGER NOT NULL,                           -- 1, 2, ... as shown
  kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'ranking', 'text')),
  prompt TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX survey_question_by_survey ON survey_question(street_id, survey_id, position);

-- Choices of single, multiple and ranking questions.
CREATE TABLE survey_option (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  question_id INTEGER NOT NULL REFERENCES survey_question(id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL
);
CREATE INDEX survey_option_by_question ON survey_option(street_id, question_id, position);

-- One-time codes handed out on paper, for residents without an account.
-- Kept in clear so staff can print a batch again; a code only lets one
-- questionnaire be answered once, so it is worth little to a thief.
CREATE TABLE survey_code (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  code TEXT NOT NULL,
  batch INTEGER NOT NULL,                              -- codes generated together
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  UNIQUE (survey_id, code)
);

CREATE TABLE survey_response (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  survey_id INTEGER NOT NULL REFERENCES survey(id),
  person_id INTEGER REFERENCES person(id),
  code_id INTEGER REFERENCES survey_code(id),
  created_at INTEGER NOT NULL,
  CHECK ((person_id IS NULL) <> (code_id IS NULL)),
  UNIQUE (survey_id, person_id),
  UNIQUE (code_id)
);
CREATE INDEX survey_response_by_survey ON survey_response(street_id, survey_id, id);

-- One row per chosen option (single, multiple), per ranked option with its
-- rank in value (ranking), with the value 1..5 (scale) or the text (text).
CREATE TABLE survey_answer (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  response_id INTEGER NOT NULL REFERENCES survey_response(id),
  question_id INTEGER NOT NULL REFERENCES survey_question(id),
  option_id INTEGER REFERENCES survey_option(id),
  value INTEGER,
  text TEXT
);
CREATE INDEX survey_answer_by_question ON survey_answer(street_id, question_id);
CREATE INDEX survey_answer_by_response ON survey_answer(street_id, response_id);

-- A community meeting (居民议事会, 恳谈会 ...) held to hear residents; the
-- needs raised there link back to it through need.meeting_id.
CREATE TABLE community_meeting (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  unit_id INTEGER NOT NULL REFERENCES org_unit(id),    -- the community holding it
  title TEXT NOT NULL,
  held_on INTEGER NOT NULL,                            -- midnight of the day, China time
  place TEXT NOT NULL,
  attendance INTEGER NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX community_meeting_by_unit ON community_meeting(street_id, unit_id, held_on);
