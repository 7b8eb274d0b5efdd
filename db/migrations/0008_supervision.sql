CREATE TABLE "audit_cases" (
	"audit_id" text NOT NULL,
	"case_id" text NOT NULL,
	"source" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_cases_audit_id_case_id_pk" PRIMARY KEY("audit_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "audit_counters" (
	"agency_code" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "audit_counters_agency_code_year_pk" PRIMARY KEY("agency_code","year")
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" text PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"scope" jsonb NOT NULL,
	"tip_off" text,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone,
	"due_date" date,
	"due_at" timestamp with time zone,
	"clock" jsonb,
	"overdue" boolean DEFAULT false NOT NULL,
	"workflow_id" text,
	"conclusion" text,
	"concluded_by" text,
	"concluded_at" timestamp with time zone,
	"request_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_code" text,
	"procedure" text,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"contact" text,
	"received_at" timestamp with time zone NOT NULL,
	"reply_due_date" date NOT NULL,
	"reply_due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reply" text,
	"replied_by" text,
	"replied_at" timestamp with time zone,
	"request_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"inspection_id" text,
	"audit_id" text,
	"case_id" text NOT NULL,
	"category" text NOT NULL,
	"text" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"follow_up_task_key" text,
	"status" text NOT NULL,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"request_key" text
);
--> statement-breakpoint
CREATE TABLE "inspection_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inspection_id" text NOT NULL,
	"case_id" text NOT NULL,
	"procedure" text NOT NULL,
	"risk_grade" text NOT NULL,
	"task_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"inspected_by" text,
	"inspected_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "inspection_items_task_key_unique" UNIQUE("task_key")
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" text PRIMARY KEY NOT NULL,
	"agency_code" text NOT NULL,
	"quarter" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"plan" jsonb NOT NULL,
	"seed" text NOT NULL,
	"status" text DEFAULT 'inspecting' NOT NULL,
	"due_date" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"reported_at" timestamp with time zone,
	"report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"channel" text NOT NULL,
	"rated_by" text NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"request_hash" text NOT NULL,
	"follow_up_task_key" text,
	"follow_up_due_at" timestamp with time zone,
	"followed_up_at" timestamp with time zone,
	"followed_up_by" text,
	"follow_up_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_ratings_case_id_unique" UNIQUE("case_id"),
	CONSTRAINT "service_ratings_score" CHECK ("service_ratings"."score" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "audit_cases" ADD CONSTRAINT "audit_cases_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_cases" ADD CONSTRAINT "audit_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_audit_id_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_ratings" ADD CONSTRAINT "service_ratings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_cases_case" ON "audit_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "audits_agency_status" ON "audits" USING btree ("agency_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "audits_request" ON "audits" USING btree ("opened_by","request_key") WHERE "audits"."request_key" is not null;--> statement-breakpoint
CREATE INDEX "feedback_open" ON "feedback" USING btree ("reply_due_at") WHERE "feedback"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_request" ON "feedback" USING btree ("request_key") WHERE "feedback"."request_key" is not null;--> statement-breakpoint
CREATE INDEX "findings_case" ON "findings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "findings_inspection" ON "findings" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "findings_audit" ON "findings" USING btree ("audit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_request" ON "findings" USING btree ("recorded_by","request_key") WHERE "findings"."request_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_items_case" ON "inspection_items" USING btree ("inspection_id","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_agency_quarter" ON "inspections" USING btree ("agency_code","quarter");--> statement-breakpoint
CREATE INDEX "service_ratings_agency" ON "service_ratings" USING btree ("agency_code","rated_at");