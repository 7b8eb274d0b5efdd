/** The periodic anchor over every case's event chain (section 10 internal control, audits). */
import { createAnchor } from '../db/repositories/audit';
import type { ActivityDeps } from '.';

export interface AuditAnchorResult {
  created: boolean;
  upToEventId: number;
  caseCount: number;
  hash: string;
}

export function createAuditActivities(deps: Pick<ActivityDeps, 'db' | 'assertionPublicKeys'>) {
  return {
    /**
     * The API's public keys the workflows trust (workflows/shared/trust.ts), by key ID, hex: from
     * the worker's configuration, never from a workflow's input.
     */
    async assertionKeys(): Promise<Record<string, string>> {
      return { ...deps.assertionPublicKeys };
    },
    /** Writes a new anchor when events were appended since the last one. */
    async createAuditAnchor(): Promise<AuditAnchorResult> {
      return createAnchor(deps.db, { onlyIfNew: true });
    },
  };
}
