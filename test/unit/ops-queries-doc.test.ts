/**
 * docs/operations.md quotes the list-filter queries of workflows/shared/ops-queries.ts, which
 * test/integration/workflows/ops-queries.test.ts runs against the dev server: every example must
 * appear in the doc verbatim, as a query block and as its CLI line, so the doc cannot drift from
 * what is tested.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPS_QUERY_EXAMPLES, cliLine, opsQueries } from '../../workflows/shared/ops-queries';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
/** Fenced code blocks with their info string (`bash`, or '' for a bare block). */
function fenced(markdown: string): Array<{ info: string; body: string }> {
  const out: Array<{ info: string; body: string }> = [];
  let open: { info: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\w*)\s*$/.exec(line);
    if (fence && !open) open = { info: fence[1], lines: [] };
    else if (fence && open) {
      out.push({ info: open.info, body: open.lines.join('\n') });
      open = undefined;
    } else open?.lines.push(line);
  }
  return out;
}
const blocks = fenced(doc)
  .filter((b) => b.info === '')
  .map((b) => b.body);
const bashLines = fenced(doc)
  .filter((b) => b.info === 'bash')
  .flatMap((b) => b.body.split('\n').map((l) => l.trim()));

test.each(OPS_QUERY_EXAMPLES.map((e) => [e.name, e.query]))(
  '%s is in the doc as a query block and as its CLI line',
  (_name, query) => {
    expect(blocks).toContain(query);
    expect(bashLines).toContain(cliLine(query));
  },
);

test('every query the module offers has an example in the doc', () => {
  expect(Object.keys(opsQueries).filter((name) => !OPS_QUERY_EXAMPLES.some((e) => e.name === name))).toEqual([]);
});

test('every temporal workflow list line in the doc is one of the tested queries', () => {
  const listed = bashLines.filter((l) => l.startsWith("temporal workflow list --query '") && l.endsWith("'"));
  const tested = new Set(OPS_QUERY_EXAMPLES.map((e) => cliLine(e.query)));
  expect(listed.filter((l) => !tested.has(l))).toEqual([]);
});

test('the attribute table names every search attribute', () => {
  for (const key of ALL_SEARCH_ATTRIBUTES)
    expect(doc).toContain(
      `| \`${key.name}\` | ${key.type === 'DATETIME' ? 'Datetime' : key.type === 'BOOL' ? 'Bool' : 'Keyword'} |`,
    );
});
