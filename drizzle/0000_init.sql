CREATE TABLE "businesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"config" jsonb NOT NULL,
	"version" integer NOT NULL,
	"next_lead_code" integer DEFAULT 1001 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "businesses_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "business_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"applied_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_versions_business_id_version_key" UNIQUE("business_id","version")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"code" integer NOT NULL,
	"state" text NOT NULL,
	"full_name" text,
	"phone" text,
	"service_address" text,
	"market" text,
	"service_type" text,
	"urgency" text,
	"source" text,
	"summary_notes" text,
	"promised_next_step" text,
	"owner_id" text,
	"next_action_due_at" timestamp with time zone,
	"lead_type" text DEFAULT 'service' NOT NULL,
	"opportunity" text DEFAULT 'standard' NOT NULL,
	"fit" text DEFAULT 'unknown' NOT NULL,
	"channel" text NOT NULL,
	"referral_context" text,
	"follow_up_date" date,
	"field_sources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rejections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"offered_to" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"outcome" text,
	"external_id" text,
	"transcript" text,
	"recording_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"offered_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"last_action_at" timestamp with time zone,
	CONSTRAINT "leads_business_id_code_key" UNIQUE("business_id","code")
);
--> statement-breakpoint
CREATE TABLE "lead_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lead_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid,
	"provider" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"raw_body" text NOT NULL,
	"headers" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"lead_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_events_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "webhook_rejections" (
	"business" text NOT NULL,
	"provider" text NOT NULL,
	"reason" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_rejections_pkey" PRIMARY KEY("business","provider","reason")
);
--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"lead_id" uuid,
	"member_id" text,
	"to" text NOT NULL,
	"channel" text NOT NULL,
	"body" text NOT NULL,
	"purpose" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"status_reason" text,
	"provider_id" text,
	"idempotency_key" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_messages_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"lead_id" uuid,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone,
	CONSTRAINT "timers_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "opt_outs" (
	"business_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"opted_out" boolean NOT NULL,
	"keyword" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opt_outs_pkey" PRIMARY KEY("business_id","phone")
);
--> statement-breakpoint
CREATE TABLE "member_stats" (
	"business_id" uuid NOT NULL,
	"member_id" text NOT NULL,
	"last_offered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_stats_pkey" PRIMARY KEY("business_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "business_versions" ADD CONSTRAINT "business_versions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "business_versions_business_id_idx" ON "business_versions" USING btree ("business_id");--> statement-breakpoint
CREATE INDEX "leads_business_id_phone_idx" ON "leads" USING btree ("business_id","phone");--> statement-breakpoint
CREATE INDEX "leads_business_id_state_idx" ON "leads" USING btree ("business_id","state");--> statement-breakpoint
CREATE INDEX "leads_created_at_idx" ON "leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "lead_events_lead_id_idx" ON "lead_events" USING btree ("lead_id","id");--> statement-breakpoint
CREATE INDEX "inbound_events_status_idx" ON "inbound_events" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "outbound_messages_lead_id_idx" ON "outbound_messages" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "outbound_messages_business_id_created_at_idx" ON "outbound_messages" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "outbound_messages_status_idx" ON "outbound_messages" USING btree ("status");--> statement-breakpoint
CREATE INDEX "outbound_messages_provider_id_idx" ON "outbound_messages" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "timers_status_due_at_idx" ON "timers" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "timers_lead_id_idx" ON "timers" USING btree ("lead_id");