CREATE TABLE "member_statuses" (
	"business_id" uuid NOT NULL,
	"member_id" text NOT NULL,
	"away" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_statuses_pkey" PRIMARY KEY("business_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "next_action" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "notes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pending_owner_id" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pending_offered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pending_reason" text;