CREATE TABLE "event_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"business_id" uuid NOT NULL,
	"lead_id" uuid,
	"webhook_id" text NOT NULL,
	"url" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connector_links" (
	"lead_id" uuid NOT NULL,
	"connector" text NOT NULL,
	"external" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "connector_links_lead_id_connector_pk" PRIMARY KEY("lead_id","connector")
);
--> statement-breakpoint
ALTER TABLE "connector_links" ADD CONSTRAINT "connector_links_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_deliveries_status_next_attempt_at_idx" ON "event_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "event_deliveries_lead_id_webhook_id_seq_idx" ON "event_deliveries" USING btree ("lead_id","webhook_id","seq");--> statement-breakpoint
CREATE INDEX "event_deliveries_business_id_created_at_idx" ON "event_deliveries" USING btree ("business_id","created_at");