CREATE TABLE "archive_lookups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"archive_id" uuid NOT NULL,
	"case_id" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"purpose" text,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "archive_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"procedure" text NOT NULL,
	"retention_class" text NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "archive_records_case_id_unique" UNIQUE("case_id")
);
--> statement-breakpoint
CREATE TABLE "audit_anchors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"up_to_event_id" bigint NOT NULL,
	"case_count" integer NOT NULL,
	"hash" text NOT NULL,
	"previous_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_refusals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"agency_code" text,
	"action" text NOT NULL,
	"case_id" text,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_histories" (
	"case_id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"entries" jsonb NOT NULL,
	"history_hash" text NOT NULL,
	"event_count" integer NOT NULL,
	"exported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "chain_seq" integer;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE INDEX "archive_lookups_case" ON "archive_lookups" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "archive_records_agency" ON "archive_records" USING btree ("agency_code","procedure");--> statement-breakpoint
CREATE INDEX "audit_refusals_case" ON "audit_refusals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "audit_refusals_actor" ON "audit_refusals" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_chain" ON "case_events" USING btree ("case_id","chain_seq");--> statement-breakpoint
-- Refused attempts and archive look-ups are evidence: append-only like the case event log.
CREATE OR REPLACE FUNCTION case_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_refusals_append_only BEFORE UPDATE OR DELETE ON audit_refusals
  FOR EACH ROW EXECUTE FUNCTION case_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER archive_lookups_append_only BEFORE UPDATE OR DELETE ON archive_lookups
  FOR EACH ROW EXECUTE FUNCTION case_events_refuse_change();
