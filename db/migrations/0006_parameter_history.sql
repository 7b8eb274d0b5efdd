-- Parameters become published data with versions (issue 9). Every row until now came from the
-- seed, whose yearly series are restructured (one row per year or period, history from 1992):
-- the old rows are removed here and the start-up bootstrap publishes the new seed.
DELETE FROM "rule_parameters";--> statement-breakpoint
ALTER TYPE "public"."flexible_category" ADD VALUE 'employee';--> statement-breakpoint
ALTER TYPE "public"."notice_kind" ADD VALUE 'recalculation';--> statement-breakpoint
CREATE TABLE "parameter_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"value" jsonb NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"verified" boolean NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" text NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"publication_id" integer,
	"published_version" integer,
	"request_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parameter_publications" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	"fanned_out_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "award_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"award_amount_id" uuid NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"months" jsonb NOT NULL,
	"settled_in_run" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "award_adjustments_award_amount_id_unique" UNIQUE("award_amount_id")
);
--> statement-breakpoint
CREATE TABLE "award_amounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"reason" text NOT NULL,
	"effective_from" text NOT NULL,
	"monthly_amount" numeric(12, 2) NOT NULL,
	"basic" numeric(12, 2) NOT NULL,
	"account" numeric(12, 2) NOT NULL,
	"transitional" numeric(12, 2) NOT NULL,
	"divisor" text NOT NULL,
	"provisional" boolean NOT NULL,
	"parameters" jsonb NOT NULL,
	"parameter_set_version" integer,
	"publication_id" integer,
	"working" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "sheet_basis" jsonb;--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD COLUMN "verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD COLUMN "publication_id" integer;--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rule_parameters" DROP CONSTRAINT "rule_parameters_name_region_valid_from_pk";--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD CONSTRAINT "rule_parameters_name_region_valid_from_version_pk" PRIMARY KEY("name","region","valid_from","version");--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "parameters" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "parameter_set_version" integer;--> statement-breakpoint
ALTER TABLE "contribution_batches" ADD COLUMN "interrupted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contribution_batches" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "contribution_batches" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "contribution_batches" ADD COLUMN "submitted_by" text;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "adjustments" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payroll_runs" ADD COLUMN "adjustment_total" numeric(16, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "parameter_proposals" ADD CONSTRAINT "parameter_proposals_publication_id_parameter_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."parameter_publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_adjustments" ADD CONSTRAINT "award_adjustments_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_adjustments" ADD CONSTRAINT "award_adjustments_award_amount_id_award_amounts_id_fk" FOREIGN KEY ("award_amount_id") REFERENCES "public"."award_amounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "award_amounts" ADD CONSTRAINT "award_amounts_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "parameter_proposals_open" ON "parameter_proposals" USING btree ("status") WHERE "parameter_proposals"."status" = 'proposed';--> statement-breakpoint
CREATE UNIQUE INDEX "parameter_proposals_request" ON "parameter_proposals" USING btree ("proposed_by","request_key") WHERE "parameter_proposals"."request_key" is not null;--> statement-breakpoint
CREATE INDEX "award_adjustments_pending" ON "award_adjustments" USING btree ("award_id") WHERE "award_adjustments"."settled_in_run" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "award_amounts_award_seq" ON "award_amounts" USING btree ("award_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "award_amounts_award_publication" ON "award_amounts" USING btree ("award_id","publication_id");--> statement-breakpoint
ALTER TABLE "rule_parameters" ADD CONSTRAINT "rule_parameters_publication_id_parameter_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."parameter_publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rule_parameters_current" ON "rule_parameters" USING btree ("name","region","valid_from") WHERE "rule_parameters"."superseded_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "contribution_batches_request" ON "contribution_batches" USING btree ("source","request_key") WHERE "contribution_batches"."request_key" is not null;