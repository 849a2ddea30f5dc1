CREATE TYPE "public"."artifact_integrity" AS ENUM('unverified', 'ok', 'mismatch', 'missing');--> statement-breakpoint
CREATE TYPE "public"."model_task" AS ENUM('classification', 'detection', 'text-detection', 'text-recognition', 'segmentation', 'regression', 'llm', 'other');--> statement-breakpoint
CREATE TYPE "public"."version_status" AS ENUM('draft', 'candidate', 'approved', 'archived');--> statement-breakpoint
CREATE TABLE "artifacts" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size_bytes" bigint NOT NULL,
	"media_type" text NOT NULL,
	"onnx" jsonb,
	"integrity" "artifact_integrity" DEFAULT 'ok' NOT NULL,
	"integrity_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"model_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"version_id" uuid NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_aliases_model_id_alias_pk" PRIMARY KEY("model_id","alias")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" "version_status" DEFAULT 'draft' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"artifact_sha256" text,
	"artifact_uri" text,
	"file_name" text,
	"lineage" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"parent_version_id" uuid,
	"model_card" text DEFAULT '' NOT NULL,
	"manifest" jsonb,
	"contract" jsonb,
	"breaking_change" jsonb,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"team" text NOT NULL,
	"task" "model_task" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_artifact_sha256_artifacts_sha256_fk" FOREIGN KEY ("artifact_sha256") REFERENCES "public"."artifacts"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_aliases_version_idx" ON "model_aliases" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_model_number_unique" ON "model_versions" USING btree ("model_id","number");--> statement-breakpoint
CREATE INDEX "model_versions_status_idx" ON "model_versions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "model_versions_artifact_idx" ON "model_versions" USING btree ("artifact_sha256");--> statement-breakpoint
CREATE INDEX "model_versions_created_idx" ON "model_versions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "models_team_idx" ON "models" USING btree ("team");--> statement-breakpoint
CREATE INDEX "models_task_idx" ON "models" USING btree ("task");--> statement-breakpoint
CREATE INDEX "models_updated_idx" ON "models" USING btree ("updated_at");