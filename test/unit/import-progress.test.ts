/** The import command's progress (a bar on a terminal, lines otherwise) and its summary text. */
import type { ImportSummary } from '../../db/repositories/contributions';
import { formatSummary, progressReporter } from '../../scripts/import-contributions';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

const progress = (rows: number, bytesRead: number) => ({
  rows,
  accepted: rows - 2,
  duplicates: 1,
  refused: 1,
  resumed: 0,
  bytesRead,
  totalBytes: 1000,
});

test('on a terminal: one redrawn bar line, finished with a newline', () => {
  const { stream, writes } = fakeStream(true);
  const p = progressReporter(stream);
  p.update(progress(500, 500));
  p.update(progress(1000, 1000));
  p.done();
  expect(writes.length).toBe(3);
  expect(writes[0]).toMatch(
    /^\r导入中 \[#{12}-{12}\] {2}50% 500 rows · [\d,]+ rows\/s · accepted 498 · duplicate 1 · refused 1/,
  );
  expect(writes[0].endsWith('\u001b[K')).toBe(true);
  expect(writes[1]).toMatch(/^\r导入中 \[#{24}\] 100% 1,000 rows/);
  expect(writes[2]).toBe('\n');
});

test('not on a terminal: plain lines at most every interval, no carriage returns', () => {
  const { stream, writes } = fakeStream(false);
  const p = progressReporter(stream, { intervalMs: 0 });
  p.update(progress(500, 500));
  p.update(progress(1000, 1000));
  p.done();
  expect(writes).toEqual([
    expect.stringMatching(/^\[import\] 50% · 500 rows · [\d,]+ rows\/s · accepted 498 · duplicate 1 · refused 1\n$/),
    expect.stringMatching(/^\[import\] 100% · 1,000 rows/),
  ]);
  const quiet = fakeStream(false);
  const q = progressReporter(quiet.stream, { intervalMs: 60_000 });
  q.update(progress(500, 500));
  expect(quiet.writes).toEqual([]);
});

test('the summary: counts, then the refusals by code with their first lines', () => {
  const summary: ImportSummary = {
    batchId: 'b-1',
    source: 'file',
    reference: 'f.csv',
    rows: 12345,
    accepted: 12000,
    duplicates: 300,
    refused: 45,
    resumed: 2,
    byReason: [
      {
        reason: 'amount.mismatch',
        text: '缴费金额与缴费基数×缴费费率不符',
        count: 40,
        firstLines: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      },
      { reason: 'name.blank', text: '姓名为空', count: 5, firstLines: [12, 13, 14, 15, 16] },
    ],
  };
  expect(formatSummary(summary, { file: '/data/in/f.csv', seconds: 2 })).toBe(
    [
      '缴费记录导入完成 contribution records imported: f.csv (batch b-1)',
      '  rows          12,345   行数',
      '  accepted      12,000   接收',
      '  duplicate        300   重复（该月已按相同基数记录）',
      '  refused           45   拒收',
      '  resumed            2   中断缴费的关系恢复为参保缴费',
      '  time            2.0s   6,173 rows/s',
      'refusals by reason 拒收原因:',
      '  amount.mismatch       40  缴费金额与缴费基数×缴费费率不符; lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …',
      '  name.blank             5  姓名为空; lines 12, 13, 14, 15, 16',
      'every refused line with its reason is kept in contribution_batches (id b-1)',
      '',
    ].join('\n'),
  );
});
