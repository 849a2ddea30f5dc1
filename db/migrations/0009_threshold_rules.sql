CREATE TABLE "threshold_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"op" text NOT NULL,
	"value" double precision NOT NULL,
	"window_minutes" integer DEFAULT 10 NOT NULL,
	"for_minutes" integer DEFAULT 0 NOT NULL,
	"severity" text DEFAULT 'warning' NOT NULL,
	"target" text,
	"cohort" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "threshold_rules" ADD CONSTRAINT "threshold_rules_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "threshold_rules" ADD CONSTRAINT "threshold_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "threshold_rules_model_idx" ON "threshold_rules" USING btree ("model_id");