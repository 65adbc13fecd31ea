CREATE TABLE "customer_asks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"channel" text NOT NULL,
	"field" text NOT NULL,
	"asked_fields" jsonb NOT NULL,
	"answered_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasked" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_reason" text,
	"intake_told_at" timestamp with time zone,
	"call_provider" text,
	"call_id" text,
	"call_claimed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_asks_lead_id_unique" UNIQUE("lead_id")
);
--> statement-breakpoint
ALTER TABLE "customer_asks" ADD CONSTRAINT "customer_asks_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_asks_business_id_phone_status_idx" ON "customer_asks" USING btree ("business_id","phone","status");--> statement-breakpoint
CREATE INDEX "customer_asks_call_id_idx" ON "customer_asks" USING btree ("call_id");