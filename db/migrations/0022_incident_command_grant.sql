ALTER TABLE "incidents" ADD COLUMN "commander_assigned_by" uuid;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "commander_grant" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commander_assigned_by_users_id_fk" FOREIGN KEY ("commander_assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_throttles_updated_idx" ON "sign_in_throttles" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "incidents_commander_assigned_by_idx" ON "incidents" USING btree ("commander_assigned_by");