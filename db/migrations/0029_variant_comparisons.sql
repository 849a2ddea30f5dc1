CREATE TABLE "variant_comparisons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"variant_version_id" uuid NOT NULL,
	"parent_sha256" text NOT NULL,
	"method" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "variant_comparisons" ADD CONSTRAINT "variant_comparisons_variant_version_id_model_versions_id_fk" FOREIGN KEY ("variant_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variant_comparisons" ADD CONSTRAINT "variant_comparisons_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "variant_comparisons_key_unique" ON "variant_comparisons" USING btree ("variant_version_id","parent_sha256","method");--> statement-breakpoint
CREATE INDEX "variant_comparisons_created_by_idx" ON "variant_comparisons" USING btree ("created_by");