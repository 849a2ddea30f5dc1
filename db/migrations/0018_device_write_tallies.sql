CREATE TABLE "device_write_tallies" (
	"device_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"reports" integer DEFAULT 0 NOT NULL,
	"telemetry" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "device_write_tallies_device_id_hour_pk" PRIMARY KEY("device_id","hour")
);
--> statement-breakpoint
ALTER TABLE "device_write_tallies" ADD CONSTRAINT "device_write_tallies_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;