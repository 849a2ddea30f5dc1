-- metrics.run_id is checked once per statement instead of once per row. The foreign key ran a lookup with a row
-- lock on runs for every metric point: 8-10 ms of a 1,000-point log-batch's 24 ms on the embedded database. The
-- statement trigger checks the distinct run ids of the inserted rows in one anti-join and raises PostgreSQL's own
-- foreign_key_violation (same code, constraint name and message), and deleting runs still deletes their points.
-- What the foreign key did and this does not: lock the run against a concurrent hard delete. Sentinel never
-- hard-deletes a run (MLflow's delete is a lifecycle change) and log-batch locks the run FOR UPDATE itself.
ALTER TABLE "metrics" DROP CONSTRAINT IF EXISTS "metrics_run_id_runs_run_id_fk";--> statement-breakpoint
CREATE OR REPLACE FUNCTION sentinel_metrics_run_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.run_id INTO missing FROM (SELECT DISTINCT run_id FROM new_rows) n
   WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = n.run_id) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE foreign_key_violation USING
      MESSAGE = 'insert or update on table "metrics" violates foreign key constraint "metrics_run_id_runs_run_id_fk"',
      DETAIL = format('Key (run_id)=(%s) is not present in table "runs".', missing),
      TABLE = 'metrics', CONSTRAINT = 'metrics_run_id_runs_run_id_fk';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "metrics_run_exists_on_insert" AFTER INSERT ON "metrics" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sentinel_metrics_run_exists();--> statement-breakpoint
CREATE TRIGGER "metrics_run_exists_on_update" AFTER UPDATE ON "metrics" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sentinel_metrics_run_exists();--> statement-breakpoint
CREATE OR REPLACE FUNCTION sentinel_runs_delete_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM metrics m USING (SELECT DISTINCT run_id FROM old_rows) o WHERE m.run_id = o.run_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "runs_delete_metrics" AFTER DELETE ON "runs" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sentinel_runs_delete_metrics();--> statement-breakpoint
CREATE OR REPLACE FUNCTION sentinel_runs_id_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM metrics WHERE run_id = OLD.run_id) THEN
    RAISE foreign_key_violation USING
      MESSAGE = 'update on table "runs" violates foreign key constraint "metrics_run_id_runs_run_id_fk" on table "metrics"',
      DETAIL = format('Key (run_id)=(%s) is still referenced from table "metrics".', OLD.run_id),
      TABLE = 'runs', CONSTRAINT = 'metrics_run_id_runs_run_id_fk';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "runs_id_fixed" BEFORE UPDATE OF "run_id" ON "runs"
  FOR EACH ROW WHEN (OLD.run_id IS DISTINCT FROM NEW.run_id) EXECUTE FUNCTION sentinel_runs_id_fixed();
