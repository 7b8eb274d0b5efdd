DROP INDEX "tasks_inbox";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tasks_inbox_due" ON "tasks" USING btree ("agency_code","role","due_at") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_inbox_created" ON "tasks" USING btree ("agency_code","role","created_at") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_assignee" ON "tasks" USING btree ("assignee") WHERE "tasks"."status" = 'claimed';