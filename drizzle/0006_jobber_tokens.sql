CREATE TABLE "jobber_tokens" (
	"business_id" uuid PRIMARY KEY NOT NULL,
	"access_token" text,
	"access_expires_at" timestamp with time zone,
	"refresh_token" text NOT NULL,
	"seeded_from" text NOT NULL,
	"refreshing_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobber_tokens" ADD CONSTRAINT "jobber_tokens_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;