CREATE TABLE "qa_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"week" text NOT NULL,
	"reviewer" text NOT NULL,
	"answers" jsonb NOT NULL,
	"note" text,
	"reviewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "qa_reviews_lead_id_week_reviewer_key" UNIQUE("lead_id","week","reviewer")
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_offered_at" timestamp with time zone;--> statement-breakpoint
-- Leads offered before this column existed: their first offer is in their history.
UPDATE "leads" SET "first_offered_at" = (SELECT min("at") FROM "lead_events" WHERE "lead_events"."lead_id" = "leads"."id" AND "lead_events"."type" = 'offered') WHERE "offered_at" IS NOT NULL OR "state" <> 'intake';--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_reviews" ADD CONSTRAINT "qa_reviews_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_reviews_business_id_week_idx" ON "qa_reviews" USING btree ("business_id","week");--> statement-breakpoint
CREATE INDEX "leads_business_id_created_at_idx" ON "leads" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "leads_business_id_first_offered_at_idx" ON "leads" USING btree ("business_id","first_offered_at");--> statement-breakpoint
CREATE INDEX "lead_events_type_lead_id_idx" ON "lead_events" USING btree ("type","lead_id");