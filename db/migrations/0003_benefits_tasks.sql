CREATE TYPE "public"."award_status" AS ENUM('active', 'suspended', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('open', 'claimed', 'done', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."procedure" ADD VALUE 'pre_review';--> statement-breakpoint
CREATE TABLE "awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"certified_on" date NOT NULL,
	"first_payment_month" text NOT NULL,
	"monthly_amount" numeric(12, 2) NOT NULL,
	"basic" numeric(12, 2) NOT NULL,
	"account" numeric(12, 2) NOT NULL,
	"transitional" numeric(12, 2) NOT NULL,
	"divisor" text NOT NULL,
	"inputs" jsonb NOT NULL,
	"working" jsonb NOT NULL,
	"rule_version" text NOT NULL,
	"status" "award_status" DEFAULT 'active' NOT NULL,
	"suspended_from" text,
	"stopped_after" text,
	"last_certified_on" date,
	"next_certification_due" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "awards_case_id_unique" UNIQUE("case_id")
);
--> statement-breakpoint
CREATE TABLE "certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"certified_on" date NOT NULL,
	"method" text NOT NULL,
	"request_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certifications_request_id_unique" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE TABLE "contribution_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"reference" text NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"refusals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deemed_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"months" integer NOT NULL,
	"case_id" text,
	"recognised_on" date NOT NULL,
	"recognised_by" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "overpayments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"month" text NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"month" text NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"kind" text NOT NULL,
	"run_month" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payroll_runs" (
	"month" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"paid" integer DEFAULT 0 NOT NULL,
	"arrears" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"total" numeric(16, 2) DEFAULT '0' NOT NULL,
	"log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "personnel_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"request_ref" text NOT NULL,
	"case_id" text,
	"requested_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"file_birth_date" date,
	"work_start_date" date,
	"deemed_months" integer,
	"content" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "personnel_files_request_ref_unique" UNIQUE("request_ref")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_key" text NOT NULL,
	"case_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"step" text NOT NULL,
	"role" text NOT NULL,
	"clause" text,
	"title" text NOT NULL,
	"status" "task_status" DEFAULT 'open' NOT NULL,
	"assignee" text,
	"due_at" timestamp with time zone,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_task_key_unique" UNIQUE("task_key")
);
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "file_birth_date" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "original_retirement_age" integer;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deemed_periods" ADD CONSTRAINT "deemed_periods_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deemed_periods" ADD CONSTRAINT "deemed_periods_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overpayments" ADD CONSTRAINT "overpayments_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_award_id_awards_id_fk" FOREIGN KEY ("award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_files" ADD CONSTRAINT "personnel_files_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_files" ADD CONSTRAINT "personnel_files_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "awards_status" ON "awards" USING btree ("status");--> statement-breakpoint
CREATE INDEX "awards_person" ON "awards" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "certifications_award" ON "certifications" USING btree ("award_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deemed_periods_case" ON "deemed_periods" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "overpayments_award_month" ON "overpayments" USING btree ("award_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_award_month" ON "payments" USING btree ("award_id","month");--> statement-breakpoint
CREATE INDEX "payments_run" ON "payments" USING btree ("run_month");--> statement-breakpoint
CREATE INDEX "personnel_files_person" ON "personnel_files" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "tasks_inbox" ON "tasks" USING btree ("agency_code","role","status");--> statement-breakpoint
CREATE INDEX "tasks_case" ON "tasks" USING btree ("case_id");