/**
 * The patch of the leaner case steps (issue 11). Runs started before it replay as they were
 * recorded; runs started after it
 *  - publish their search attributes when the case next waits or closes, and only those that
 *    changed, instead of every attribute at every step (steps that follow each other without a
 *    wait are published together; the clock's reminders and breaches and whatever handlers
 *    record are still published at once, and the current details always are);
 *  - record what a deadline's timer found (reminder, breach) in the timer's own workflow task,
 *    with a local activity (activity-options.ts timerStep);
 *  - (enrollment) record the start of the review and read the relations in one activity, and
 *    leave the retirement watch to be armed near the pre-review date (workflows/enrollment.ts).
 * One patch for all of it: every patch ID costs each run a marker and a search-attribute upsert.
 */
export const LEAN_STEPS_PATCH = 'lean-case-steps';
