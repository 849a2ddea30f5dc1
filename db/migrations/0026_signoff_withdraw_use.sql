-- A sign-off's decision and frozen numbers never change; it may only be marked withdrawn, or used by a promotion, once each.
CREATE OR REPLACE FUNCTION safety_signoffs_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW.id, NEW.model_id, NEW.version_id, NEW.decision, NEW.comment, NEW.reviewer_id, NEW.snapshot, NEW.supersedes_id, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.model_id, OLD.version_id, OLD.decision, OLD.comment, OLD.reviewer_id, OLD.snapshot, OLD.supersedes_id, OLD.created_at)
     AND (OLD.withdrawn_at IS NULL OR (NEW.withdrawn_at IS NOT DISTINCT FROM OLD.withdrawn_at AND NEW.withdrawn_by IS NOT DISTINCT FROM OLD.withdrawn_by))
     AND (OLD.used_at IS NULL OR NEW.used_at IS NOT DISTINCT FROM OLD.used_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'safety_signoffs is append-only: record a new sign-off instead (only withdrawal and first use are recorded in place)';
END;
$$ LANGUAGE plpgsql;
