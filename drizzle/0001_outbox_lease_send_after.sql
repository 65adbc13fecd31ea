ALTER TABLE "outbound_messages" ADD COLUMN "send_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "locked_until" timestamp with time zone;