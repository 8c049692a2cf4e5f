-- The foundation: organisation tree, people, roles, accounts, sessions,
-- the audit chain and the yearly cycle.  Times are Unix seconds (UTC).
-- Every row carries street_id, the tenant key, so data can later be spread
-- over database nodes by street.

CREATE TABLE street (
  id INTEGER PRIMARY KEY,
  district TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- street -> community -> grid -> building; the street itself is a unit too,
-- so that street-level roles have a unit to be held in.
CREATE TABLE org_unit (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  parent_id INTEGER REFERENCES org_unit(id),
  kind TEXT NOT NULL CHECK (kind IN ('street', 'community', 'grid', 'building')),
  name TEXT NOT NULL,
  households INTEGER NOT NULL DEFAULT 0,
  path TEXT NOT NULL DEFAULT '',   -- '/street/community/grid/' ids: a unit's subtree shares its prefix
  created_at INTEGER NOT NULL
);
CREATE INDEX org_unit_by_parent ON org_unit(street_id, parent_id);

CREATE TABLE person (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  party_member INTEGER NOT NULL DEFAULT 0,         -- restricted data
  home_unit_id INTEGER REFERENCES org_unit(id),    -- community, grid or building
  kind TEXT NOT NULL DEFAULT 'resident' CHECK (kind IN ('resident', 'social_unit')),
  verified INTEGER NOT NULL DEFAULT 0,             -- a resident checked by community staff
  pseudonymised INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX person_by_street ON person(street_id, id);

CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  person_id INTEGER NOT NULL UNIQUE REFERENCES person(id),
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX account_by_street ON account(street_id, id);

-- A role is held by a person, in a unit, for a term.
CREATE TABLE role_assignment (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  unit_id INTEGER NOT NULL REFERENCES org_unit(id),
  role TEXT NOT NULL CHECK (role IN ('resident', 'social_unit', 'delegate', 'community_staff',
                                     'street_staff', 'implementer', 'admin')),
  delegate_kind TEXT CHECK (delegate_kind IS NULL OR delegate_kind IN
    ('resident_rep', 'party_rep', 'npc_deputy', 'cppcc_member', 'social_unit_rep', 'legal_professional')),
  term_start INTEGER NOT NULL,
  term_end INTEGER,                                -- NULL: open-ended
  created_at INTEGER NOT NULL
);
CREATE INDEX role_by_person ON role_assignment(street_id, person_id);
CREATE INDEX role_by_unit ON role_assignment(street_id, unit_id, role);

-- Only a hash of the session token is stored: a stolen database holds no
-- usable session.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  account_id INTEGER NOT NULL REFERENCES account(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX session_by_account ON session(street_id, account_id);

-- Hash chain: each record stores the previous record's hash and a SHA-256
-- over its own canonical form (see domain/audit.c).  audit_head names the
-- newest record so that a cut-off tail is noticed too.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  street_id INTEGER,
  at INTEGER NOT NULL,
  actor_account_id INTEGER,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id INTEGER,
  summary TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_object ON audit_log(street_id, object_type, object_id);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A street's yearly cycle: the four stages with their dates.
CREATE TABLE year_cycle (
  id INTEGER PRIMARY KEY,
  street_id INTEGER NOT NULL REFERENCES street(id),
  year INTEGER NOT NULL,
  needs_start INTEGER NOT NULL,     -- 问需
  needs_end INTEGER NOT NULL,
  plans_start INTEGER NOT NULL,     -- 问计: community meetings, street selection
  plans_end INTEGER NOT NULL,
  effects_start INTEGER NOT NULL,   -- 问效: assembly, notice, implementation
  effects_end INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (street_id, year)
);
