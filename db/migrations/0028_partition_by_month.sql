-- Time-partitioned tables for the data that grows without bound: metrics (by month of its epoch-ms
-- "timestamp"), telemetry_summaries and drift_evaluations (by month of "window_start") and audit_log (by
-- month of "at"). Each table is rebuilt as a partitioned table with one partition per month that holds
-- data, the current month and three ahead, and a default partition for anything else; rows are copied
-- over, then indexes, keys, foreign keys and triggers are recreated under the names drizzle gives them.
-- Nothing references these tables by foreign key, so swapping them is safe. server/partitions keeps
-- creating months ahead and drops the ones past retention.

-- One month's partition of a parent, named <parent>_pYYYY_MM, bounds in UTC. Rows of that month already
-- sitting in the default partition are moved into it, except for the append-only audit log (its rows stay
-- in the default partition, still read by every query). Returns what it did.
CREATE OR REPLACE FUNCTION sentinel_month_partition(parent text, month date) RETURNS text AS $$
DECLARE
  m date := date_trunc('month', month)::date;
  n date := (date_trunc('month', month) + interval '1 month')::date;
  name text := format('%s_p%s', parent, to_char(month, 'YYYY_MM'));
  key text;
  lo text;
  hi text;
  held boolean;
BEGIN
  IF to_regclass(format('public.%I', name)) IS NOT NULL THEN
    RETURN 'exists';
  END IF;
  IF parent = 'metrics' THEN
    key := 'timestamp';
    lo := (extract(epoch FROM m::timestamp) * 1000)::bigint::text;
    hi := (extract(epoch FROM n::timestamp) * 1000)::bigint::text;
  ELSIF parent IN ('telemetry_summaries', 'drift_evaluations', 'audit_log') THEN
    key := CASE parent WHEN 'audit_log' THEN 'at' ELSE 'window_start' END;
    lo := quote_literal(to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00');
    hi := quote_literal(to_char(n, 'YYYY-MM-DD') || ' 00:00:00+00');
  ELSE
    RAISE EXCEPTION '% is not partitioned by month', parent;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %s AND %I < %s)', parent || '_default', key, lo, key, hi) INTO held;
  IF NOT held THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', name, parent, lo, hi);
    RETURN 'created';
  END IF;
  IF parent = 'audit_log' THEN
    RETURN 'rows held in default';
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', name, parent);
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %s AND %I < %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
    parent || '_default', key, lo, key, hi, name);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent, name, lo, hi);
  RETURN 'created with rows moved from default';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- metrics ------------------------------------------------------------------------------------------
ALTER TABLE "metrics" RENAME TO "metrics_unpartitioned";--> statement-breakpoint
CREATE TABLE "metrics" (LIKE "metrics_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("timestamp");--> statement-breakpoint
CREATE TABLE "metrics_default" PARTITION OF "metrics" DEFAULT;--> statement-breakpoint
-- Months that hold data (client-given timestamps: only plausible ones get a month, the rest go to default).
DO $$
DECLARE mo date;
BEGIN
  FOR mo IN
    SELECT DISTINCT date_trunc('month', to_timestamp("timestamp" / 1000.0) AT TIME ZONE 'UTC')::date FROM "metrics_unpartitioned"
    WHERE "timestamp" >= 946684800000 AND "timestamp" < (extract(epoch FROM now() + interval '10 years') * 1000)::bigint
    UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date FROM generate_series(0, 3) i
  LOOP
    PERFORM sentinel_month_partition('metrics', mo);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "metrics" SELECT * FROM "metrics_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "metrics_id_seq" OWNED BY "metrics"."id";--> statement-breakpoint
DROP TABLE "metrics_unpartitioned";--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_id_timestamp_pk" PRIMARY KEY("id","timestamp");--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metrics_run_key_step_idx" ON "metrics" USING btree ("run_id","key","step","timestamp","id");--> statement-breakpoint

-- telemetry_summaries ------------------------------------------------------------------------------
-- The global "one row per idempotency key" moves to its own table (a partitioned table's unique index
-- must include the partition key, and the same key in two months must still be refused).
CREATE TABLE "telemetry_idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"content_hash" text NOT NULL,
	"summary_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "telemetry_idempotency_keys_window_idx" ON "telemetry_idempotency_keys" USING btree ("window_start");--> statement-breakpoint
INSERT INTO "telemetry_idempotency_keys" SELECT "idempotency_key", "content_hash", "id", "window_start" FROM "telemetry_summaries";--> statement-breakpoint
ALTER TABLE "telemetry_summaries" RENAME TO "telemetry_summaries_unpartitioned";--> statement-breakpoint
CREATE TABLE "telemetry_summaries" (LIKE "telemetry_summaries_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("window_start");--> statement-breakpoint
CREATE TABLE "telemetry_summaries_default" PARTITION OF "telemetry_summaries" DEFAULT;--> statement-breakpoint
DO $$
DECLARE mo date;
BEGIN
  FOR mo IN
    SELECT DISTINCT date_trunc('month', "window_start" AT TIME ZONE 'UTC')::date FROM "telemetry_summaries_unpartitioned"
    UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date FROM generate_series(0, 3) i
  LOOP
    PERFORM sentinel_month_partition('telemetry_summaries', mo);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "telemetry_summaries" SELECT * FROM "telemetry_summaries_unpartitioned";--> statement-breakpoint
DROP TABLE "telemetry_summaries_unpartitioned";--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_id_window_start_pk" PRIMARY KEY("id","window_start");--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "telemetry_summaries_model_window_idx" ON "telemetry_summaries" USING btree ("model_id","window_start");--> statement-breakpoint
CREATE INDEX "telemetry_summaries_window_idx" ON "telemetry_summaries" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "telemetry_summaries_cohort_idx" ON "telemetry_summaries" USING btree ("model_id","cohort","window_start");--> statement-breakpoint

-- drift_evaluations --------------------------------------------------------------------------------
ALTER TABLE "drift_evaluations" RENAME TO "drift_evaluations_unpartitioned";--> statement-breakpoint
CREATE TABLE "drift_evaluations" (LIKE "drift_evaluations_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("window_start");--> statement-breakpoint
CREATE TABLE "drift_evaluations_default" PARTITION OF "drift_evaluations" DEFAULT;--> statement-breakpoint
DO $$
DECLARE mo date;
BEGIN
  FOR mo IN
    SELECT DISTINCT date_trunc('month', "window_start" AT TIME ZONE 'UTC')::date FROM "drift_evaluations_unpartitioned"
    UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date FROM generate_series(0, 3) i
  LOOP
    PERFORM sentinel_month_partition('drift_evaluations', mo);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "drift_evaluations" SELECT * FROM "drift_evaluations_unpartitioned";--> statement-breakpoint
DROP TABLE "drift_evaluations_unpartitioned";--> statement-breakpoint
ALTER TABLE "drift_evaluations" ADD CONSTRAINT "drift_evaluations_id_window_start_pk" PRIMARY KEY("id","window_start");--> statement-breakpoint
ALTER TABLE "drift_evaluations" ADD CONSTRAINT "drift_evaluations_monitor_id_drift_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."drift_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_evaluations_monitor_window_unique" ON "drift_evaluations" USING btree ("monitor_id","window_start");--> statement-breakpoint
CREATE INDEX "drift_evaluations_window_idx" ON "drift_evaluations" USING btree ("window_start");--> statement-breakpoint

-- audit_log ----------------------------------------------------------------------------------------
-- Copying rows out of the old table is an INSERT, and dropping it fires no row trigger: the append-only
-- rule (0001) is never bypassed for a row, and it is recreated on the partitioned table, where it is
-- cloned to every partition. Dropping a whole month's partition stays possible, and is audited.
ALTER TABLE "audit_log" RENAME TO "audit_log_unpartitioned";--> statement-breakpoint
CREATE TABLE "audit_log" (LIKE "audit_log_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("at");--> statement-breakpoint
CREATE TABLE "audit_log_default" PARTITION OF "audit_log" DEFAULT;--> statement-breakpoint
DO $$
DECLARE mo date;
BEGIN
  FOR mo IN
    SELECT DISTINCT date_trunc('month', "at" AT TIME ZONE 'UTC')::date FROM "audit_log_unpartitioned"
    UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date FROM generate_series(0, 3) i
  LOOP
    PERFORM sentinel_month_partition('audit_log', mo);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "audit_log" SELECT * FROM "audit_log_unpartitioned";--> statement-breakpoint
ALTER SEQUENCE "audit_log_id_seq" OWNED BY "audit_log"."id";--> statement-breakpoint
DROP TABLE "audit_log_unpartitioned";--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_id_at_pk" PRIMARY KEY("id","at");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_token_id_api_tokens_id_fk" FOREIGN KEY ("actor_token_id") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
