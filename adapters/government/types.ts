/**
 * Adapters to the government systems outside the agency (besides the transfer platform): the
 * tax department's contribution feed, the personnel-archive service and the death registry.
 * Each has an HTTP client (./http.ts) that a real deployment points at the real system and
 * development points at the simulator (simulators/government), which speaks the same protocol.
 */

/** One month's contribution as the tax department reports it (C-1). */
export interface TaxContributionRecord {
  /** The tax department's record ID: a record delivered twice is recognised by it. */
  recordId: string;
  idNumber: string;
  name: string;
  /** The agency holding the relation (where the person is insured). */
  agencyCode: string;
  /** The month paid for, YYYY-MM. */
  yearMonth: string;
  /** Declared monthly base and the amount paid (20% of it), decimal strings. */
  base: string;
  amount: string;
  paidOn: string;
}

export interface TaxFeed {
  /** Records after `cursor` (null = from the start), at most `limit`, and the cursor to continue from. */
  pull(o: {
    cursor: string | null;
    limit: number;
  }): Promise<{ records: TaxContributionRecord[]; nextCursor: string | null }>;
}

/** What a personnel file (人事档案) says, as far as the pension is concerned. */
export interface PersonnelFileContent {
  /** Birth date as the file records it (may disagree with the ID number). */
  birthDate: string;
  /** 参加工作时间 */
  workStartDate?: string;
  /** Deemed contribution months (视同缴费年限) the file supports. */
  deemedMonths: number;
  /** For women: the original retirement age the file's post implies (50 worker, 55 cadre). */
  originalRetirementAge?: 50 | 55;
  remarks?: string[];
}

export interface ArchiveService {
  /** Asks for a person's file; idempotent by `requestRef`. Retrieval may take days. */
  requestFile(o: { requestRef: string; idNumber: string; name: string }): Promise<{ accepted: true }>;
  fetchFile(
    requestRef: string,
  ): Promise<{ status: 'pending' } | { status: 'delivered'; file: PersonnelFileContent } | { status: 'not_found' }>;
}

export interface DeathRecord {
  idNumber: string;
  deceased: boolean;
  dateOfDeath?: string;
}

export interface DeathRegistry {
  /** Data comparison (数据比对) for pensioners: who is recorded as deceased. */
  check(idNumbers: string[]): Promise<DeathRecord[]>;
}

export interface GovernmentSystems {
  taxFeed: TaxFeed;
  archives: ArchiveService;
  deathRegistry: DeathRegistry;
}
