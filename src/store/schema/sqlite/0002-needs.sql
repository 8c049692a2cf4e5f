-- 问需: needs (意见建议) with their photos and supports (附议), draft matters
-- (拟办实事意向) consolidated from them, the full-text indexes over both,
-- and the in-site inbox (消息) that tells every person the fate of their need.
--
-- A need's status is one of
--   open          still being considered
--   merged        a near-duplicate of need merged_into (always an open or
--                 decided primary, never itself merged); its fate is its primary's
--   consolidated  taken into draft_id
--   declined      not adopted, with a public reason
--   withdrawn     taken back by its submitter
-- so every need is accounted for by exactly one fate: its own status, or its
-- primary's when merged.  Hiding (moderation) is separate from the fate.

-- The configurable category list of a street; empty means the defaults in
-- src/domain/needs.c.
CREATE TABLE need_category (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  UNIQUE (street_id, name)
);

CREATE TABLE need (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  year INTEGER NOT NULL,                      -- the cycle the need belongs to
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  community_id INTEGER NOT NULL REFERENCES org_unit(id),
  unit_id INTEGER NOT NULL REFERENCES org_unit(id),   -- the most precise place: community, grid or building
  unit_path TEXT NOT NULL,                    -- that unit's path, for reach checks and filters
  address TEXT NOT NULL DEFAULT '',
  person_id INTEGER REFERENCES person(id),    -- who raised it; NULL for a paper form without an account
  submitter_name TEXT NOT NULL DEFAULT '',    -- the name staff wrote down when person_id is NULL
  recorded_by INTEGER REFERENCES person(id),  -- staff who recorded it on someone's behalf
  channel TEXT NOT NULL CHECK (channel IN ('web', 'questionnaire', 'meeting', 'paper', 'phone', 'poster')),
  meeting_id INTEGER,                         -- the meeting it was raised at (no foreign key: see 0003)
  answer_id INTEGER,                          -- the questionnaire answer it came from
  show_name INTEGER NOT NULL DEFAULT 0,       -- the submitter agreed to show the full name
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'merged', 'consolidated', 'declined', 'withdrawn')),
  merged_into INTEGER REFERENCES need(id),
  draft_id INTEGER,                           -- set with status 'consolidated'
  decline_reason TEXT NOT NULL DEFAULT '',
  hidden INTEGER NOT NULL DEFAULT 0,
  hidden_reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
  CHECK ((status = 'consolidated') = (draft_id IS NOT NULL))
);
CREATE INDEX need_by_street ON need(street_id, created_at);
CREATE INDEX need_by_status ON need(street_id, status);
CREATE INDEX need_by_merged ON need(merged_into);
CREATE INDEX need_by_draft ON need(draft_id);
CREATE INDEX need_by_person ON need(person_id);

CREATE TABLE need_photo (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  need_id INTEGER NOT NULL REFERENCES need(id),
  position INTEGER NOT NULL,                  -- 1..3
  mime TEXT NOT NULL,
  data BLOB NOT NULL,                         -- already stripped of location metadata
  UNIQUE (need_id, position)
);

CREATE TABLE need_support (
  street_id INTEGER NOT NULL REFERENCES street(id),
  need_id INTEGER NOT NULL REFERENCES need(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (need_id, person_id)
);
CREATE INDEX support_by_person ON need_support(person_id);

CREATE TABLE draft (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  scope_unit_id INTEGER NOT NULL REFERENCES org_unit(id),   -- a community, or the street unit
  scope_path TEXT NOT NULL,
  estimated_cost INTEGER NOT NULL DEFAULT 0,                -- yuan
  responsible_unit TEXT NOT NULL DEFAULT '',                -- suggested 承办单位
  created_by INTEGER REFERENCES person(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX draft_by_street ON draft(street_id, created_at);

-- Full-text indexes (tokenizer "gongzhi", src/text/text.h).  rowid is the
-- need's or draft's id; scope holds words "s<street> c<community>" so a
-- search is narrowed inside the index before ranking.
CREATE VIRTUAL TABLE need_fts USING fts5(title, body, scope, tokenize = 'gongzhi');
CREATE VIRTUAL TABLE draft_fts USING fts5(title, body, scope, tokenize = 'gongzhi');

-- The inbox: one row per notice; the text is written when read, in the
-- reader's language, from the kind and the objects it names.
CREATE TABLE inbox_message (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL CHECK (kind IN ('merged', 'consolidated', 'declined', 'hidden')),
  need_id INTEGER NOT NULL REFERENCES need(id),
  other_id INTEGER,          -- the primary need (merged) or the draft (consolidated)
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX inbox_by_person ON inbox_message(street_id, person_id, created_at);

CREATE TABLE inbox_setting (
  street_id INTEGER NOT NULL REFERENCES street(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  daily_digest INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (street_id, person_id)
);
