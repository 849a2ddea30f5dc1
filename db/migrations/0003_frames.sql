CREATE TABLE "sample_frames" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sha256" text NOT NULL,
	"media_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"size_bytes" integer NOT NULL,
	"source" text NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"ground_truth" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sample_frames" ADD CONSTRAINT "sample_frames_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sample_frames_tags_idx" ON "sample_frames" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "sample_frames_created_idx" ON "sample_frames" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sample_frames_sha_idx" ON "sample_frames" USING btree ("sha256");