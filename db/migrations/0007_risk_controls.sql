ALTER TYPE "public"."procedure" ADD VALUE 'recovery';--> statement-breakpoint
CREATE TABLE "case_risk_points" (
	"case_id" text NOT NULL,
	"key" text NOT NULL,
	"grade" text NOT NULL,
	"description" text NOT NULL,
	"register_version" integer NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"touched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_risk_points_case_id_key_pk" PRIMARY KEY("case_id","key")
);
--> statement-breakpoint
ALTER TABLE "case_materials" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "case_materials" ADD COLUMN "size_bytes" integer;--> statement-breakpoint
ALTER TABLE "case_materials" ADD COLUMN "media_type" text;--> statement-breakpoint
ALTER TABLE "case_risk_points" ADD CONSTRAINT "case_risk_points_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;