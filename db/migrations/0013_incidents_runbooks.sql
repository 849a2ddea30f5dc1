CREATE TYPE "public"."incident_severity" AS ENUM('sev1', 'sev2', 'sev3', 'sev4');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('investigating', 'identified', 'mitigated', 'resolved');--> statement-breakpoint
CREATE TABLE "incident_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"title" text NOT NULL,
	"severity" "incident_severity" NOT NULL,
	"status" "incident_status" DEFAULT 'investigating' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"model_id" uuid,
	"alert_id" uuid,
	"versions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deployment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"commander_id" uuid,
	"runbook_id" uuid,
	"declared_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"mitigated_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"postmortem" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "oncall_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rotation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_rotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"service" text NOT NULL,
	"members" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"period_days" integer DEFAULT 7 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oncall_rotations_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "runbook_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runbooks" DROP CONSTRAINT "runbooks_model_id_models_id_fk";
--> statement-breakpoint
DROP INDEX "runbooks_model_unique";--> statement-breakpoint
ALTER TABLE "runbooks" ALTER COLUMN "model_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "links" jsonb DEFAULT '{"alertKinds":[],"rulePrefixes":[],"models":[],"services":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "incident_entries" ADD CONSTRAINT "incident_entries_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_entries" ADD CONSTRAINT "incident_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commander_id_users_id_fk" FOREIGN KEY ("commander_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_overrides" ADD CONSTRAINT "oncall_overrides_rotation_id_oncall_rotations_id_fk" FOREIGN KEY ("rotation_id") REFERENCES "public"."oncall_rotations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_overrides" ADD CONSTRAINT "oncall_overrides_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_overrides" ADD CONSTRAINT "oncall_overrides_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_versions" ADD CONSTRAINT "runbook_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_entries_incident_idx" ON "incident_entries" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "incident_entries_actor_idx" ON "incident_entries" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","declared_at");--> statement-breakpoint
CREATE INDEX "incidents_model_idx" ON "incidents" USING btree ("model_id","declared_at");--> statement-breakpoint
CREATE INDEX "incidents_severity_idx" ON "incidents" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "incidents_alert_idx" ON "incidents" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "incidents_commander_idx" ON "incidents" USING btree ("commander_id");--> statement-breakpoint
CREATE INDEX "incidents_runbook_idx" ON "incidents" USING btree ("runbook_id");--> statement-breakpoint
CREATE INDEX "oncall_overrides_rotation_idx" ON "oncall_overrides" USING btree ("rotation_id","starts_at");--> statement-breakpoint
CREATE INDEX "oncall_overrides_user_idx" ON "oncall_overrides" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_versions_number_unique" ON "runbook_versions" USING btree ("runbook_id","number");--> statement-breakpoint
CREATE INDEX "runbook_versions_author_idx" ON "runbook_versions" USING btree ("author_id");--> statement-breakpoint
ALTER TABLE "runbooks" ADD CONSTRAINT "runbooks_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runbooks_model_idx" ON "runbooks" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "runbooks_updated_idx" ON "runbooks" USING btree ("updated_at");--> statement-breakpoint
-- Runbooks became versioned: each existing runbook gets its body as version 1 and links to the model it was written for.
-- Run after the migration that creates runbook_versions and runbooks.links (idempotent; drizzle statement breakpoints).
INSERT INTO runbook_versions (runbook_id, number, title, body, message, author_id, created_at)
SELECT r.id, 1, r.title, r.body, 'Imported from the unversioned runbook', r.updated_by, r.updated_at
FROM runbooks r
WHERE NOT EXISTS (SELECT 1 FROM runbook_versions v WHERE v.runbook_id = r.id);
--> statement-breakpoint

UPDATE runbooks r
SET links = jsonb_set(r.links, '{models}', jsonb_build_array(m.slug))
FROM models m
WHERE m.id = r.model_id AND r.links -> 'models' = '[]'::jsonb;
