CREATE TYPE "public"."message_direction" AS ENUM('in', 'out');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('received', 'delivered', 'refused', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."transfer_side" AS ENUM('in', 'out');--> statement-breakpoint
CREATE TYPE "public"."account_entry_kind" AS ENUM('opening', 'credit', 'interest', 'transfer_in', 'transfer_out', 'adjustment');--> statement-breakpoint
CREATE TABLE "agencies" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"province_code" text NOT NULL,
	"phone" text NOT NULL,
	"bank_name" text NOT NULL,
	"bank_code" text NOT NULL,
	"account_name" text NOT NULL,
	"account_number" text NOT NULL,
	"address" text NOT NULL,
	"postcode" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_transfers" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"transfer_id" text NOT NULL,
	"case_id" text NOT NULL,
	"individual_account" numeric(14, 2) NOT NULL,
	"pooled_fund" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"status" text NOT NULL,
	"platform_reference" text,
	"working" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" text NOT NULL,
	"direction" "message_direction" NOT NULL,
	"type" text NOT NULL,
	"transfer_id" text,
	"case_id" text,
	"from_agency" text,
	"to_agency" text,
	"body" jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" "message_status" NOT NULL,
	"error" text,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"transfer_id" text NOT NULL,
	"side" "transfer_side" NOT NULL,
	"case_id" text NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"counterpart_agency" text NOT NULL,
	"sheet" jsonb,
	"sheet_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"kind" "account_entry_kind" NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"posted_on" date NOT NULL,
	"entry_key" text NOT NULL,
	"case_id" text,
	"working" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_entries_entry_key_unique" UNIQUE("entry_key")
);
--> statement-breakpoint
CREATE TABLE "contribution_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"agency_code" text NOT NULL,
	"year_month" text NOT NULL,
	"base" numeric(12, 2) NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"source" text NOT NULL,
	"source_reference" text,
	"paid_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transferred_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"transfer_id" text NOT NULL,
	"region_code" text NOT NULL,
	"year" integer NOT NULL,
	"start_year_month" text NOT NULL,
	"end_year_month" text NOT NULL,
	"months" integer NOT NULL,
	"monthly_base" numeric(12, 2) NOT NULL,
	"row" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_parameters" (
	"name" text NOT NULL,
	"region" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"value" jsonb NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_parameters_name_region_valid_from_pk" PRIMARY KEY("name","region","valid_from")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "clocks" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "counterpart_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fund_transfers" ADD CONSTRAINT "fund_transfers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_messages" ADD CONSTRAINT "platform_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_entries" ADD CONSTRAINT "account_entries_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contribution_records" ADD CONSTRAINT "contribution_records_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transferred_periods" ADD CONSTRAINT "transferred_periods_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "platform_messages_id_direction" ON "platform_messages" USING btree ("message_id","direction");--> statement-breakpoint
CREATE INDEX "platform_messages_transfer" ON "platform_messages" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_id_side" ON "transfers" USING btree ("transfer_id","side");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_case" ON "transfers" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "account_entries_person" ON "account_entries" USING btree ("person_id","posted_on");--> statement-breakpoint
CREATE UNIQUE INDEX "contribution_records_person_month" ON "contribution_records" USING btree ("person_id","year_month");--> statement-breakpoint
CREATE INDEX "contribution_records_agency" ON "contribution_records" USING btree ("agency_code");--> statement-breakpoint
CREATE UNIQUE INDEX "transferred_periods_row" ON "transferred_periods" USING btree ("transfer_id","year","start_year_month");