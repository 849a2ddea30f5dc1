CREATE TYPE "public"."alert_state" AS ENUM('pending', 'firing', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."drift_method" AS ENUM('auto', 'ks', 'chisquare', 'wasserstein', 'jensenshannon', 'psi');--> statement-breakpoint
CREATE TYPE "public"."slo_kind" AS ENUM('availability', 'latency', 'freshness');--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_key" text NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"model_id" uuid,
	"title" text NOT NULL,
	"state" "alert_state" DEFAULT 'pending' NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"firing_at" timestamp with time zone,
	"last_evaluated_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"silenced_by" uuid,
	"silenced_until" timestamp with time zone,
	"silence_reason" text
);
--> statement-breakpoint
CREATE TABLE "drift_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"monitor_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"statistic" double precision NOT NULL,
	"p_value" double precision,
	"threshold" double precision NOT NULL,
	"drifted" boolean NOT NULL,
	"psi" double precision,
	"reference_count" integer NOT NULL,
	"current_count" integer NOT NULL,
	"reference" jsonb NOT NULL,
	"current" jsonb NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_monitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"name" text NOT NULL,
	"method" "drift_method" DEFAULT 'auto' NOT NULL,
	"threshold" double precision,
	"window_minutes" integer DEFAULT 60 NOT NULL,
	"cohort" text,
	"reference_from" timestamp with time zone NOT NULL,
	"reference_to" timestamp with time zone NOT NULL,
	"reference" jsonb NOT NULL,
	"reference_count" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"target" text NOT NULL,
	"kind" "slo_kind" NOT NULL,
	"objective" double precision NOT NULL,
	"window_days" integer DEFAULT 30 NOT NULL,
	"latency_threshold_ms" double precision,
	"max_age_minutes" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telemetry_summaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"content_hash" text NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"target" text NOT NULL,
	"cohort" text NOT NULL,
	"slice" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_seconds" integer NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"latency" jsonb NOT NULL,
	"features" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"predictions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcomes" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_by" uuid,
	"token_id" uuid
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_silenced_by_users_id_fk" FOREIGN KEY ("silenced_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_evaluations" ADD CONSTRAINT "drift_evaluations_monitor_id_drift_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."drift_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_monitors" ADD CONSTRAINT "drift_monitors_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_monitors" ADD CONSTRAINT "drift_monitors_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slos" ADD CONSTRAINT "slos_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slos" ADD CONSTRAINT "slos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_summaries" ADD CONSTRAINT "telemetry_summaries_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_rule_subject_unique" ON "alerts" USING btree ("rule_key","subject") WHERE "alerts"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX "alerts_state_idx" ON "alerts" USING btree ("state","started_at");--> statement-breakpoint
CREATE INDEX "alerts_model_idx" ON "alerts" USING btree ("model_id");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_evaluations_monitor_window_unique" ON "drift_evaluations" USING btree ("monitor_id","window_start");--> statement-breakpoint
CREATE INDEX "drift_evaluations_window_idx" ON "drift_evaluations" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "drift_monitors_model_idx" ON "drift_monitors" USING btree ("model_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "drift_monitors_subject_unique" ON "drift_monitors" USING btree ("model_id","version","source","name",coalesce("cohort", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "slos_model_target_kind_unique" ON "slos" USING btree ("model_id","target","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "telemetry_summaries_idempotency_unique" ON "telemetry_summaries" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "telemetry_summaries_model_window_idx" ON "telemetry_summaries" USING btree ("model_id","window_start");--> statement-breakpoint
CREATE INDEX "telemetry_summaries_window_idx" ON "telemetry_summaries" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "telemetry_summaries_cohort_idx" ON "telemetry_summaries" USING btree ("model_id","cohort","window_start");