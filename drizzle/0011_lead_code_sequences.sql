-- Lead codes come from a sequence per business instead of an UPDATE of businesses.next_lead_code:
-- that row lock was held for the whole lead transaction, so one business's intakes queued behind
-- each other (issue 16). nextval() takes no lock that lasts past the call. A code a rolled-back
-- transaction drew is skipped, never reused. next_lead_code stays as each sequence's first value.
CREATE FUNCTION lead_code_sequence_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS integer START WITH %s', 'lead_code_' || replace(NEW.id::text, '-', ''), NEW.next_lead_code);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER businesses_lead_code_sequence AFTER INSERT ON "businesses" FOR EACH ROW EXECUTE FUNCTION lead_code_sequence_create();
--> statement-breakpoint
-- Existing businesses go on from the code they would have handed out next.
DO $$
DECLARE b record;
BEGIN
  FOR b IN SELECT id, next_lead_code FROM "businesses" LOOP
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS integer START WITH %s', 'lead_code_' || replace(b.id::text, '-', ''), b.next_lead_code);
  END LOOP;
END $$;
