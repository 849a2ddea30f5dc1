CREATE TYPE "public"."catalog_kind" AS ENUM('model', 'serving-target', 'fleet', 'dataset', 'runbook');--> statement-breakpoint
CREATE TYPE "public"."catalog_lifecycle" AS ENUM('experimental', 'production', 'deprecated');--> statement-breakpoint
CREATE TABLE "catalog_entities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "catalog_kind" NOT NULL,
	"name" text NOT NULL,
	"ref_id" text NOT NULL,
	"title" text NOT NULL,
	"owner_team_id" uuid NOT NULL,
	"rotation_id" uuid,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lifecycle" "catalog_lifecycle" DEFAULT 'experimental' NOT NULL,
	"dependencies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_entities" ADD CONSTRAINT "catalog_entities_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_entities" ADD CONSTRAINT "catalog_entities_rotation_id_oncall_rotations_id_fk" FOREIGN KEY ("rotation_id") REFERENCES "public"."oncall_rotations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_entities" ADD CONSTRAINT "catalog_entities_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_entities_kind_name_unique" ON "catalog_entities" USING btree ("kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_entities_kind_ref_unique" ON "catalog_entities" USING btree ("kind","ref_id");--> statement-breakpoint
CREATE INDEX "catalog_entities_owner_idx" ON "catalog_entities" USING btree ("owner_team_id");--> statement-breakpoint
CREATE INDEX "catalog_entities_rotation_idx" ON "catalog_entities" USING btree ("rotation_id");--> statement-breakpoint
CREATE INDEX "catalog_entities_lifecycle_idx" ON "catalog_entities" USING btree ("lifecycle");