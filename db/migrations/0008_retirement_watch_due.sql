ALTER TABLE "persons" ADD COLUMN "pre_review_on" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "retirement_watch_armed_for" date;--> statement-breakpoint
CREATE INDEX "persons_retirement_watch_due" ON "persons" USING btree ("pre_review_on") WHERE "persons"."pre_review_on" is not null and "persons"."retirement_watch_armed_for" is distinct from "persons"."pre_review_on";