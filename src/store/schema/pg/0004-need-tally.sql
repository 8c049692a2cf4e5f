-- PostgreSQL twin of schema/sqlite/0004-need-tally.sql: how many needs each
-- street has, kept by a trigger in the transaction that adds or removes a
-- need.  The row lock it takes adds no waiting: every write already
-- serialises on audit_head.  gongzhi migrate does not copy this table; the
-- trigger counts the needs as they arrive.
CREATE TABLE need_tally (
  street_id BIGINT PRIMARY KEY REFERENCES street(id),
  needs BIGINT NOT NULL
);
INSERT INTO need_tally (street_id, needs) SELECT street_id, COUNT(*) FROM need GROUP BY street_id;

CREATE FUNCTION need_tally_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO need_tally (street_id, needs) VALUES (NEW.street_id, 1)
    ON CONFLICT (street_id) DO UPDATE SET needs = need_tally.needs + 1;
    RETURN NEW;
  END IF;
  UPDATE need_tally SET needs = needs - 1 WHERE street_id = OLD.street_id;
  RETURN OLD;
END;
$$;

CREATE TRIGGER need_tally_count AFTER INSERT OR DELETE ON need
  FOR EACH ROW EXECUTE FUNCTION need_tally_count();
