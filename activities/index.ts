/**
 * All activities, built from their dependencies (no module-level state). Workflows import only
 * the type: `import type { Activities } from '../activities'`.
 */
import type { Db } from '../db/client';
import type { CalendarSnapshot } from '../domain/working-days';
import { createCalendarActivities } from './calendar';
import { createCaseActivities } from './cases';
import { createRelationActivities } from './relations';

export interface ActivityDeps {
  db: Db;
  calendar: { current(): Promise<CalendarSnapshot> };
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseActivities(deps),
    ...createCalendarActivities(deps),
    ...createRelationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
