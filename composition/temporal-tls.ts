/**
 * mTLS to the Temporal frontend, from configuration (config.ts `temporalTls`): the same options
 * for the API's client (Connection) and the worker's (NativeConnection). The files are read once
 * at start-up; a rotated certificate takes a restart.
 */
import fs from 'node:fs';
import type { Config } from '../config';

export interface TemporalTls {
  serverRootCACertificate: Buffer;
  clientCertPair: { crt: Buffer; key: Buffer };
  serverNameOverride?: string;
}

export function temporalTlsOptions(tls: Config['temporalTls']): TemporalTls | undefined {
  if (!tls) return undefined;
  return {
    serverRootCACertificate: fs.readFileSync(tls.caPath),
    clientCertPair: { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) },
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
  };
}
