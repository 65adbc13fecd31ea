CREATE TABLE "reconciliations" (
	"business_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"watermark" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"seen" integer DEFAULT 0 NOT NULL,
	"recovered" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"total_runs" integer DEFAULT 0 NOT NULL,
	"total_seen" integer DEFAULT 0 NOT NULL,
	"total_recovered" integer DEFAULT 0 NOT NULL,
	"total_errors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reconciliations_pkey" PRIMARY KEY("business_id","provider")
);
--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "origin" text DEFAULT 'webhook' NOT NULL;