/** Temporal namespace administration: the project's custom search attributes. */
import type { Connection } from '@temporalio/client';
import { SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';

/** `--search-attribute` flags for the dev server, from the project's definitions. */
export function searchAttributeFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  ]);
}

/**
 * Registers the project's search attributes on a namespace where they are missing (an external
 * cluster, or a server started without the flags). Existing ones are left alone.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  const IVT = temporal.api.enums.v1.IndexedValueType;
  const types: Record<string, temporal.api.enums.v1.IndexedValueType> = {
    [SearchAttributeType.TEXT]: IVT.INDEXED_VALUE_TYPE_TEXT,
    [SearchAttributeType.KEYWORD]: IVT.INDEXED_VALUE_TYPE_KEYWORD,
    [SearchAttributeType.INT]: IVT.INDEXED_VALUE_TYPE_INT,
    [SearchAttributeType.DOUBLE]: IVT.INDEXED_VALUE_TYPE_DOUBLE,
    [SearchAttributeType.BOOL]: IVT.INDEXED_VALUE_TYPE_BOOL,
    [SearchAttributeType.DATETIME]: IVT.INDEXED_VALUE_TYPE_DATETIME,
    [SearchAttributeType.KEYWORD_LIST]: IVT.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  };
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, types[key.type]])),
  });
  return missing.map((key) => key.name);
}
