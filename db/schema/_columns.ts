/** Column helpers shared by every table. */
import { customType, timestamp } from 'drizzle-orm/pg-core';

export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A jsonb column read exactly as stored. drizzle's own jsonb parses the driver's value a second
 * time, so a stored JSON string such as "0.08" (a decimal kept as text on purpose) comes back as
 * the binary number 0.08; parameter values must come back as they were published.
 */
export const exactJsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});
