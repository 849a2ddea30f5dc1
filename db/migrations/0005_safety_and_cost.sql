CREATE TYPE "public"."signoff_decision" AS ENUM('approve', 'reject');--> statement-breakpoint
CREATE TYPE "public"."budget_scope" AS ENUM('team', 'model');--> statement-breakpoint
CREATE TYPE "public"."cost_resource_kind" AS ENUM('gpu_hours', 'cpu_hours', 'memory', 'storage', 'network_egress', 'llm_tokens', 'device_bandwidth', 'other');--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"slice_dimension" text NOT NULL,
	"slice_value" text NOT NULL,
	"tp" integer NOT NULL,
	"fp" integer NOT NULL,
	"fn" integer NOT NULL,
	"tn" integer,
	"driving_hours" double precision
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"dataset_name" text NOT NULL,
	"dataset_version" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "safety_signoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"decision" "signoff_decision" NOT NULL,
	"comment" text NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"snapshot" jsonb NOT NULL,
	"supersedes_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_permissions" (
	"user_id" uuid NOT NULL,
	"permission" text NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_permissions_user_id_permission_pk" PRIMARY KEY("user_id","permission")
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" "budget_scope" NOT NULL,
	"scope_key" text NOT NULL,
	"month" date NOT NULL,
	"amount_micros" bigint NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cost_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"file_name" text,
	"row_count" integer NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"billed_micros" bigint NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cost_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"row_key" text NOT NULL,
	"day" date NOT NULL,
	"model_id" uuid,
	"version" integer,
	"environment" text NOT NULL,
	"deployment" text,
	"resource_kind" "cost_resource_kind" NOT NULL,
	"billed_micros" bigint NOT NULL,
	"effective_micros" bigint NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"service_name" text DEFAULT '' NOT NULL,
	"resource_id" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counts" (
	"day" date NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"inferences" bigint NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD CONSTRAINT "safety_signoffs_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD CONSTRAINT "safety_signoffs_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD CONSTRAINT "safety_signoffs_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_permissions" ADD CONSTRAINT "user_permissions_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_imports" ADD CONSTRAINT "cost_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_records" ADD CONSTRAINT "cost_records_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_records" ADD CONSTRAINT "cost_records_import_id_cost_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."cost_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_counts" ADD CONSTRAINT "usage_counts_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluation_results_eval_idx" ON "evaluation_results" USING btree ("evaluation_id","event_type");--> statement-breakpoint
CREATE INDEX "evaluation_results_event_idx" ON "evaluation_results" USING btree ("event_type");--> statement-breakpoint
CREATE INDEX "evaluations_version_idx" ON "evaluations" USING btree ("version_id","dataset_name","created_at");--> statement-breakpoint
CREATE INDEX "evaluations_model_idx" ON "evaluations" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "evaluations_created_by_idx" ON "evaluations" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "safety_signoffs_version_idx" ON "safety_signoffs" USING btree ("version_id","created_at");--> statement-breakpoint
CREATE INDEX "safety_signoffs_model_idx" ON "safety_signoffs" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "safety_signoffs_reviewer_idx" ON "safety_signoffs" USING btree ("reviewer_id");--> statement-breakpoint
CREATE INDEX "user_permissions_permission_idx" ON "user_permissions" USING btree ("permission");--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_scope_month_unique" ON "budgets" USING btree ("scope","scope_key","month");--> statement-breakpoint
CREATE INDEX "budgets_month_idx" ON "budgets" USING btree ("month");--> statement-breakpoint
CREATE INDEX "cost_imports_created_idx" ON "cost_imports" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cost_records_row_key_unique" ON "cost_records" USING btree ("row_key");--> statement-breakpoint
CREATE INDEX "cost_records_day_idx" ON "cost_records" USING btree ("day");--> statement-breakpoint
CREATE INDEX "cost_records_model_day_idx" ON "cost_records" USING btree ("model_id","day");--> statement-breakpoint
CREATE INDEX "cost_records_import_idx" ON "cost_records" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "cost_records_kind_idx" ON "cost_records" USING btree ("resource_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_counts_unique" ON "usage_counts" USING btree ("day","model_id","version","source");--> statement-breakpoint
CREATE INDEX "usage_counts_model_idx" ON "usage_counts" USING btree ("model_id","day");