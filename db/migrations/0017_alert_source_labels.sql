ALTER TABLE "alerts" ADD COLUMN "source" text DEFAULT 'sentinel' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "external_fingerprint" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "alerts_source_fingerprint_idx" ON "alerts" USING btree ("source","external_fingerprint");