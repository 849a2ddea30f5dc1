ALTER TABLE "safety_signoffs" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD COLUMN "withdrawn_by" uuid;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD COLUMN "used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deployment_approvals" ADD COLUMN "used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "safety_signoffs" ADD CONSTRAINT "safety_signoffs_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;