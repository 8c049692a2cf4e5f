-- How many needs each street has, kept by triggers in the transaction that
-- adds or removes a need, so the list of needs can say "1,000,000 needs"
-- without counting a million rows for every page it shows.
CREATE TABLE need_tally (
  street_id INTEGER PRIMARY KEY REFERENCES street(id),
  needs INTEGER NOT NULL
);
INSERT INTO need_tally (street_id, needs) SELECT street_id, COUNT(*) FROM need GROUP BY street_id;

CREATE TRIGGER need_tally_insert AFTER INSERT ON need BEGIN
  INSERT INTO need_tally (street_id, needs) VALUES (NEW.street_id, 1)
  ON CONFLICT (street_id) DO UPDATE SET needs = needs + 1;
END;

CREATE TRIGGER need_tally_delete AFTER DELETE ON need BEGIN
  UPDATE need_tally SET needs = needs - 1 WHERE street_id = OLD.street_id;
END;
