/** The case workflows' search attributes on a time-skipping test server. */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';

/**
 * The Java time-skipping test server implements OperatorService.addSearchAttributes but not
 * listSearchAttributes (UNIMPLEMENTED), so composition/temporal-admin's ensureSearchAttributes cannot
 * be used there. The server is fresh (a harness's own, or the workflow project's one), so every
 * attribute is simply added.
 */
export async function registerSearchAttributesOnTestServer(connection: Connection, namespace: string): Promise<void> {
  const IVT = temporal.api.enums.v1.IndexedValueType;
  // SearchAttributeType names the indexed value types without their prefix (TEXT, KEYWORD_LIST, …).
  const indexed = (type: string) => IVT[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IVT];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, indexed(key.type)])),
  });
}
