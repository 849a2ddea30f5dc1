CREATE TYPE "public"."deployment_state" AS ENUM('idle', 'canary', 'paused');--> statement-breakpoint
CREATE TYPE "public"."target_kind" AS ENUM('cloud-online', 'cloud-batch', 'edge-fleet');--> statement-breakpoint
CREATE TABLE "deployment_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deployment_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"approved_by" uuid NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"kind" text NOT NULL,
	"from_version" integer,
	"to_version" integer,
	"summary" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"idempotency_key" text,
	"revision" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" "target_kind" NOT NULL,
	"environment" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"runtime" jsonb NOT NULL,
	"hardware_class" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_targets_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"stable_version_id" uuid NOT NULL,
	"stable_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"candidate_version_id" uuid,
	"candidate_config" jsonb,
	"state" "deployment_state" DEFAULT 'idle' NOT NULL,
	"plan" jsonb DEFAULT '[1,5,25,50,100]'::jsonb NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"target_id" uuid NOT NULL,
	"hardware_class" text NOT NULL,
	"firmware" text NOT NULL,
	"region" text NOT NULL,
	"bucket" integer NOT NULL,
	"token_id" uuid,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"protected" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployment_approvals" ADD CONSTRAINT "deployment_approvals_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_approvals" ADD CONSTRAINT "deployment_approvals_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_approvals" ADD CONSTRAINT "deployment_approvals_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_targets" ADD CONSTRAINT "deployment_targets_environment_environments_key_fk" FOREIGN KEY ("environment") REFERENCES "public"."environments"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_target_id_deployment_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."deployment_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_stable_version_id_model_versions_id_fk" FOREIGN KEY ("stable_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_candidate_version_id_model_versions_id_fk" FOREIGN KEY ("candidate_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_target_id_deployment_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."deployment_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbooks" ADD CONSTRAINT "runbooks_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbooks" ADD CONSTRAINT "runbooks_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_approvals_unique" ON "deployment_approvals" USING btree ("deployment_id","version_id","approved_by");--> statement-breakpoint
CREATE INDEX "deployment_approvals_version_idx" ON "deployment_approvals" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "deployment_events_deployment_idx" ON "deployment_events" USING btree ("deployment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_events_idempotency_unique" ON "deployment_events" USING btree ("idempotency_key") WHERE "deployment_events"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "deployment_targets_environment_idx" ON "deployment_targets" USING btree ("environment");--> statement-breakpoint
CREATE INDEX "deployment_targets_kind_idx" ON "deployment_targets" USING btree ("kind");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_target_model_unique" ON "deployments" USING btree ("target_id","model_id");--> statement-breakpoint
CREATE INDEX "deployments_model_idx" ON "deployments" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "deployments_state_idx" ON "deployments" USING btree ("state");--> statement-breakpoint
CREATE INDEX "deployments_stable_version_idx" ON "deployments" USING btree ("stable_version_id");--> statement-breakpoint
CREATE INDEX "deployments_candidate_version_idx" ON "deployments" USING btree ("candidate_version_id");--> statement-breakpoint
CREATE INDEX "devices_target_idx" ON "devices" USING btree ("target_id","hardware_class","firmware","region");--> statement-breakpoint
CREATE INDEX "devices_target_bucket_idx" ON "devices" USING btree ("target_id","bucket");--> statement-breakpoint
CREATE INDEX "devices_token_idx" ON "devices" USING btree ("token_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runbooks_model_unique" ON "runbooks" USING btree ("model_id");