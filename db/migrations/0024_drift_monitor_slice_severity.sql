DROP INDEX "drift_monitors_subject_unique";--> statement-breakpoint
ALTER TABLE "drift_monitors" ADD COLUMN "slice" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_monitors" ADD COLUMN "severity" text DEFAULT 'warning' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_monitors_subject_unique" ON "drift_monitors" USING btree ("model_id","version","source","name",coalesce("cohort", ''),"slice");