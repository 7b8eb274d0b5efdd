CREATE TYPE "public"."sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."flexible_category" AS ENUM('individual_business', 'part_time', 'other_flexible');--> statement-breakpoint
CREATE TYPE "public"."relation_status" AS ENUM('contributing', 'interrupted', 'stopped', 'transferred_out', 'receiving');--> statement-breakpoint
CREATE TYPE "public"."stop_reason" AS ENUM('death', 'transferred_out', 'voluntary', 'settled_abroad', 'other');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."channel" AS ENUM('online', 'offline', 'platform');--> statement-breakpoint
CREATE TYPE "public"."clock_state" AS ENUM('running', 'paused', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."notice_kind" AS ENUM('missing_materials', 'refusal_reasons', 'return_for_completion', 'acceptance_refused', 'outcome');--> statement-breakpoint
CREATE TYPE "public"."case_outcome" AS ENUM('approved', 'refused', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."procedure" AS ENUM('enrollment', 'stop', 'transfer_in', 'transfer_out', 'benefit_claim');--> statement-breakpoint
CREATE TYPE "public"."calendar_day_kind" AS ENUM('holiday', 'makeup_workday');--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_key" text NOT NULL,
	"id_number" text NOT NULL,
	"name" text NOT NULL,
	"sex" "sex" NOT NULL,
	"birth_date" date NOT NULL,
	"phone" text,
	"household_code" text,
	"work_start_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_person_key_unique" UNIQUE("person_key"),
	CONSTRAINT "persons_id_number_unique" UNIQUE("id_number")
);
--> statement-breakpoint
CREATE TABLE "pension_relations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"province_code" text NOT NULL,
	"status" "relation_status" NOT NULL,
	"category" "flexible_category",
	"since" date NOT NULL,
	"temporary_account" boolean DEFAULT false NOT NULL,
	"stop_reason" "stop_reason",
	"stop_detail" text,
	"last_case_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_counters" (
	"agency_code" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_counters_agency_code_year_pk" PRIMARY KEY("agency_code","year")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"clause" text,
	"stage" text,
	"actor_id" text,
	"actor_role" text,
	"detail" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_events_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
CREATE TABLE "case_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text,
	"round" integer NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"procedure" "procedure" NOT NULL,
	"agency_code" text NOT NULL,
	"channel" "channel" NOT NULL,
	"status" "case_status" DEFAULT 'open' NOT NULL,
	"stage" text NOT NULL,
	"waiting_on" text,
	"outcome" "case_outcome",
	"outcome_reason" text,
	"person_id" uuid NOT NULL,
	"application" jsonb NOT NULL,
	"follow_up" text,
	"workflow_id" text NOT NULL,
	"workflow_run_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"due_date" date,
	"clock_state" "clock_state" DEFAULT 'running' NOT NULL,
	"clock" jsonb,
	"calendar_version" integer,
	"projection_seq" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"request_id" text NOT NULL,
	"step" text NOT NULL,
	"result" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_role" text NOT NULL,
	"reason" text,
	"items" jsonb,
	"decided_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_request_id_unique" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"case_id" text NOT NULL,
	"response_status" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"kind" "notice_kind" NOT NULL,
	"round" integer NOT NULL,
	"items" jsonb NOT NULL,
	"text" text NOT NULL,
	"channel" "channel" NOT NULL,
	"reply_due_date" date,
	"issued_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"version" integer NOT NULL,
	"date" date NOT NULL,
	"kind" "calendar_day_kind" NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "calendar_days_version_date_pk" PRIMARY KEY("version","date")
);
--> statement-breakpoint
CREATE TABLE "calendar_versions" (
	"version" serial PRIMARY KEY NOT NULL,
	"first_year" integer NOT NULL,
	"last_year" integer NOT NULL,
	"source" text NOT NULL,
	"checksum" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_versions_checksum_unique" UNIQUE("checksum")
);
--> statement-breakpoint
ALTER TABLE "pension_relations" ADD CONSTRAINT "pension_relations_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_materials" ADD CONSTRAINT "case_materials_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_version_calendar_versions_version_fk" FOREIGN KEY ("version") REFERENCES "public"."calendar_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pension_relations_one_live_per_province" ON "pension_relations" USING btree ("person_id","province_code") WHERE "pension_relations"."status" in ('contributing', 'interrupted', 'receiving');--> statement-breakpoint
CREATE INDEX "pension_relations_agency_status" ON "pension_relations" USING btree ("agency_code","status");--> statement-breakpoint
CREATE INDEX "case_events_case" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_materials_kind_round" ON "case_materials" USING btree ("case_id","kind","round");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_one_open_per_person_procedure" ON "cases" USING btree ("person_id","procedure") WHERE "cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "cases_agency_status" ON "cases" USING btree ("agency_code","status");--> statement-breakpoint
CREATE INDEX "cases_procedure_status" ON "cases" USING btree ("procedure","status");--> statement-breakpoint
CREATE INDEX "cases_open_due" ON "cases" USING btree ("due_at") WHERE "cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "cases_person" ON "cases" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "decisions_case" ON "decisions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notices_case_kind_round" ON "notices" USING btree ("case_id","kind","round");