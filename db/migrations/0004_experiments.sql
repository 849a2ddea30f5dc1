CREATE TYPE "public"."lifecycle_stage" AS ENUM('active', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED');--> statement-breakpoint
CREATE TABLE "experiment_tags" (
	"experiment_id" bigint NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "experiment_tags_experiment_id_key_pk" PRIMARY KEY("experiment_id","key")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"artifact_location" text DEFAULT '' NOT NULL,
	"lifecycle_stage" "lifecycle_stage" DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_by_token" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "latest_metrics" (
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"value" double precision NOT NULL,
	"timestamp" bigint NOT NULL,
	"step" bigint NOT NULL,
	CONSTRAINT "latest_metrics_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"value" double precision NOT NULL,
	"timestamp" bigint NOT NULL,
	"step" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "params" (
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "params_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "run_tags" (
	"run_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "run_tags_run_id_key_pk" PRIMARY KEY("run_id","key")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"run_id" text PRIMARY KEY NOT NULL,
	"experiment_id" bigint NOT NULL,
	"run_name" text DEFAULT '' NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"status" "run_status" DEFAULT 'RUNNING' NOT NULL,
	"start_time" bigint NOT NULL,
	"end_time" bigint,
	"lifecycle_stage" "lifecycle_stage" DEFAULT 'active' NOT NULL,
	"artifact_uri" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_by_token" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "experiment_tags" ADD CONSTRAINT "experiment_tags_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_created_by_token_api_tokens_id_fk" FOREIGN KEY ("created_by_token") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "latest_metrics" ADD CONSTRAINT "latest_metrics_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "params" ADD CONSTRAINT "params_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tags" ADD CONSTRAINT "run_tags_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_created_by_token_api_tokens_id_fk" FOREIGN KEY ("created_by_token") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_tags_key_idx" ON "experiment_tags" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_name_unique" ON "experiments" USING btree ("name");--> statement-breakpoint
CREATE INDEX "experiments_lifecycle_idx" ON "experiments" USING btree ("lifecycle_stage");--> statement-breakpoint
CREATE INDEX "experiments_updated_idx" ON "experiments" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "experiments_created_by_idx" ON "experiments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "experiments_created_by_token_idx" ON "experiments" USING btree ("created_by_token");--> statement-breakpoint
CREATE INDEX "latest_metrics_key_value_idx" ON "latest_metrics" USING btree ("key","value");--> statement-breakpoint
CREATE INDEX "metrics_run_key_step_idx" ON "metrics" USING btree ("run_id","key","step","timestamp","id");--> statement-breakpoint
CREATE INDEX "params_key_idx" ON "params" USING btree ("key");--> statement-breakpoint
CREATE INDEX "run_tags_key_idx" ON "run_tags" USING btree ("key");--> statement-breakpoint
CREATE INDEX "runs_experiment_start_idx" ON "runs" USING btree ("experiment_id","lifecycle_stage","start_time");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "runs_name_idx" ON "runs" USING btree ("run_name");--> statement-breakpoint
CREATE INDEX "runs_start_time_idx" ON "runs" USING btree ("start_time");--> statement-breakpoint
CREATE INDEX "runs_end_time_idx" ON "runs" USING btree ("end_time");--> statement-breakpoint
CREATE INDEX "runs_user_idx" ON "runs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "runs_created_by_idx" ON "runs" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "runs_created_by_token_idx" ON "runs" USING btree ("created_by_token");--> statement-breakpoint
-- MLflow's server has the experiment "Default" (id 0) from the start; runs created without an experiment go there.
INSERT INTO "experiments" ("id", "name", "artifact_location") VALUES (0, 'Default', 'mlflow-artifacts:/0') ON CONFLICT DO NOTHING;
