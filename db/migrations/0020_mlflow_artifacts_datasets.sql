CREATE TABLE "mlflow_artifact_files" (
	"path" text PRIMARY KEY NOT NULL,
	"run_id" text,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"created_by" uuid,
	"created_by_token" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mlflow_datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"experiment_id" bigint NOT NULL,
	"name" text NOT NULL,
	"digest" text NOT NULL,
	"source_type" text NOT NULL,
	"source" text NOT NULL,
	"schema" text,
	"profile" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mlflow_deleted_models" (
	"model_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"deleted_by" uuid,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mlflow_run_inputs" (
	"run_id" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mlflow_run_inputs_run_id_dataset_id_pk" PRIMARY KEY("run_id","dataset_id")
);
--> statement-breakpoint
ALTER TABLE "mlflow_artifact_files" ADD CONSTRAINT "mlflow_artifact_files_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_artifact_files" ADD CONSTRAINT "mlflow_artifact_files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_artifact_files" ADD CONSTRAINT "mlflow_artifact_files_created_by_token_api_tokens_id_fk" FOREIGN KEY ("created_by_token") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_datasets" ADD CONSTRAINT "mlflow_datasets_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_deleted_models" ADD CONSTRAINT "mlflow_deleted_models_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_deleted_models" ADD CONSTRAINT "mlflow_deleted_models_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_run_inputs" ADD CONSTRAINT "mlflow_run_inputs_run_id_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_run_inputs" ADD CONSTRAINT "mlflow_run_inputs_dataset_id_mlflow_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."mlflow_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mlflow_artifact_files_path_prefix_idx" ON "mlflow_artifact_files" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mlflow_artifact_files_run_idx" ON "mlflow_artifact_files" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "mlflow_artifact_files_sha_idx" ON "mlflow_artifact_files" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "mlflow_datasets_experiment_name_digest_unique" ON "mlflow_datasets" USING btree ("experiment_id","name","digest");--> statement-breakpoint
CREATE INDEX "mlflow_run_inputs_dataset_idx" ON "mlflow_run_inputs" USING btree ("dataset_id");