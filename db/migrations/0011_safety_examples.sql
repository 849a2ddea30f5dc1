ALTER TABLE "evaluations" ADD COLUMN "sweeps" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "confusion_matrices" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "examples" jsonb DEFAULT '[]'::jsonb NOT NULL;