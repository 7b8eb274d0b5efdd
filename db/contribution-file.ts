/**
 * Importing a contribution file (CSV or JSON lines) through the import core
 * (db/repositories/contributions.ts), streamed: the file is read in 64 KiB pieces and imported
 * one chunk of rows at a time, so a file of any size needs the memory of one chunk.
 *
 * CSV: an optional header line naming the columns (any order), else the documented order
 * recordId,idNumber,name,agencyCode,yearMonth,base,amount,paidOn. JSON lines: one object per
 * line with the same keys. Blank lines are skipped; line numbers are the file's own (1-based,
 * a header counts), so staff can find a refused row in the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  CONTRIBUTION_COLUMNS,
  csvHeader,
  csvRow,
  jsonRow,
  type ContributionColumn,
  type RawContributionRow,
} from '../domain/contribution-rows';
import type { Db } from './client';
import {
  DEFAULT_CHUNK_SIZE,
  startBatchImport,
  type BatchImport,
  type ImportCounts,
  type ImportSummary,
} from './repositories/contributions';

export type ContributionFileFormat = 'csv' | 'jsonl';

/** The format from a file name: .csv → csv; .jsonl, .ndjson → jsonl; else null (pass the format). */
export function formatOfFile(file: string): ContributionFileFormat | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return null;
}

/** Lines of a file with their 1-based numbers and the bytes read so far (for progress). */
export async function* readLines(file: string): AsyncGenerator<{ number: number; text: string; bytesRead: number }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  let bytesRead = 0;
  for await (const piece of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) {
    bytesRead += (piece as Buffer).length;
    pending += decoder.write(piece as Buffer);
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      number += 1;
      yield { number, text: pending.slice(0, nl).replace(/\r$/, ''), bytesRead };
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending.length > 0) {
    number += 1;
    yield { number, text: pending.replace(/\r$/, ''), bytesRead };
  }
}

export interface FileProgress extends ImportCounts {
  bytesRead: number;
  totalBytes: number;
}

export interface ImportFileOptions {
  file: string;
  format?: ContributionFileFormat;
  chunkSize?: number;
  /** Called after every chunk. */
  onProgress?: (p: FileProgress) => void;
  now?: () => Date;
}

/**
 * Imports a file as one batch (source `file`, reference = the file's base name: a full path
 * could name a person's folder). Throws on I/O and database errors; refused rows are not errors.
 */
export async function importContributionFile(db: Db, o: ImportFileOptions): Promise<ImportSummary> {
  const format = o.format ?? formatOfFile(o.file);
  if (!format)
    throw new Error(`cannot tell the format of ${path.basename(o.file)}: name it .csv or .jsonl, or pass --format`);
  const totalBytes = (await fs.promises.stat(o.file)).size;
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // Started at the first data row (or at the end for an empty file), so a file refused as a
  // whole (unreadable, a header lacking a column) leaves no batch behind.
  let batch: BatchImport | undefined;
  const start = async () =>
    (batch ??= await startBatchImport(db, { source: 'file', reference: path.basename(o.file), chunkSize, now: o.now }));
  let columns: readonly ContributionColumn[] | undefined;
  let chunk: RawContributionRow[] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    const b = await start();
    await b.add(rows);
    o.onProgress?.({ ...b.counts, bytesRead: bytes, totalBytes });
  };
  for await (const { number, text, bytesRead } of readLines(o.file)) {
    bytes = bytesRead;
    const content = number === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (content.trim() === '') continue;
    if (format === 'csv') {
      if (columns === undefined) {
        const header = csvHeader(content);
        columns = header ?? CONTRIBUTION_COLUMNS;
        if (header) continue;
      }
      chunk.push(csvRow(number, content, columns));
    } else {
      chunk.push(jsonRow(number, content));
    }
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return (await start()).finish();
}
