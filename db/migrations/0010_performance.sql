DROP INDEX "cases_agency_status";--> statement-breakpoint
DROP INDEX "tasks_inbox_due";--> statement-breakpoint
DROP INDEX "tasks_inbox_created";--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "pre_review_on" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "retirement_watch_armed_for" date;--> statement-breakpoint
CREATE INDEX "persons_retirement_watch_due" ON "persons" USING btree ("pre_review_on") WHERE "persons"."pre_review_on" is not null and "persons"."retirement_watch_armed_for" is distinct from "persons"."pre_review_on";--> statement-breakpoint
CREATE INDEX "cases_list_agency" ON "cases" USING btree ("agency_code","status","received_at","id");--> statement-breakpoint
CREATE INDEX "cases_list_status" ON "cases" USING btree ("status","received_at","id");--> statement-breakpoint
CREATE INDEX "tasks_inbox_due_desc" ON "tasks" USING btree ("agency_code","role",coalesce("due_at", '-infinity'::timestamptz) desc,"created_at","id") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_inbox_agency_due" ON "tasks" USING btree ("agency_code",coalesce("due_at", 'infinity'::timestamptz),"created_at","id") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_inbox_due" ON "tasks" USING btree ("agency_code","role",coalesce("due_at", 'infinity'::timestamptz),"created_at","id") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_inbox_created" ON "tasks" USING btree ("agency_code","role","created_at","id") WHERE "tasks"."status" in ('open', 'claimed');