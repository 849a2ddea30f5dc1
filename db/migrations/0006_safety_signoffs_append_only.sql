-- Sign-offs are superseded by new rows, never edited or removed: the database refuses both.
CREATE OR REPLACE FUNCTION safety_signoffs_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'safety_signoffs is append-only: record a new sign-off instead';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER safety_signoffs_no_update_delete BEFORE UPDATE OR DELETE ON safety_signoffs
  FOR EACH ROW EXECUTE FUNCTION safety_signoffs_refuse_change();
