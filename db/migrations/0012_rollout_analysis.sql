CREATE TABLE "deployment_analyses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deployment_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"step" integer NOT NULL,
	"percent" double precision NOT NULL,
	"candidate_version" integer NOT NULL,
	"stable_version" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"verdict" text NOT NULL,
	"decision" text NOT NULL,
	"checks" jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_model_states" (
	"device_id" text NOT NULL,
	"model_id" uuid NOT NULL,
	"running_version" integer,
	"status" text NOT NULL,
	"failed_version" integer,
	"error" text,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "device_model_states_device_id_model_id_pk" PRIMARY KEY("device_id","model_id")
);
--> statement-breakpoint
CREATE TABLE "device_reports" (
	"device_id" text NOT NULL,
	"report_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_reports_device_id_report_id_pk" PRIMARY KEY("device_id","report_id")
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "step_policies" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "step_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deployment_analyses" ADD CONSTRAINT "deployment_analyses_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_model_states" ADD CONSTRAINT "device_model_states_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_model_states" ADD CONSTRAINT "device_model_states_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_reports" ADD CONSTRAINT "device_reports_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_analyses_deployment_idx" ON "deployment_analyses" USING btree ("deployment_id","created_at");--> statement-breakpoint
CREATE INDEX "deployment_analyses_revision_idx" ON "deployment_analyses" USING btree ("deployment_id","revision");--> statement-breakpoint
CREATE INDEX "device_model_states_model_idx" ON "device_model_states" USING btree ("model_id","running_version");--> statement-breakpoint
CREATE INDEX "device_reports_received_idx" ON "device_reports" USING btree ("received_at");