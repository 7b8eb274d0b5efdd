/** HTTP clients of the government systems (real endpoints, or the simulator's). */
import type { ArchiveService, DeathRegistry, GovernmentSystems, TaxFeed } from './types';

async function call<T>(url: string, init: { method: string; body?: unknown; timeoutMs?: number }): Promise<T> {
  const res = await fetch(url, {
    method: init.method,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export function createHttpTaxFeed(baseUrl: string): TaxFeed {
  const base = baseUrl.replace(/\/$/, '');
  return {
    pull: ({ cursor, limit }) =>
      call(`${base}/tax/contributions?limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, {
        method: 'GET',
      }),
  };
}

export function createHttpArchiveService(baseUrl: string): ArchiveService {
  const base = baseUrl.replace(/\/$/, '');
  return {
    requestFile: (o) => call(`${base}/archives/requests`, { method: 'POST', body: o }),
    fetchFile: (requestRef) => call(`${base}/archives/requests/${encodeURIComponent(requestRef)}`, { method: 'GET' }),
  };
}

export function createHttpDeathRegistry(baseUrl: string): DeathRegistry {
  const base = baseUrl.replace(/\/$/, '');
  return {
    check: (idNumbers) =>
      call<{ records: Awaited<ReturnType<DeathRegistry['check']>> }>(`${base}/death-registry/checks`, {
        method: 'POST',
        body: { idNumbers },
      }).then((r) => r.records),
  };
}

/** All three on one base URL (the simulator serves them together). */
export function createHttpGovernmentSystems(baseUrl: string): GovernmentSystems {
  return {
    taxFeed: createHttpTaxFeed(baseUrl),
    archives: createHttpArchiveService(baseUrl),
    deathRegistry: createHttpDeathRegistry(baseUrl),
  };
}
