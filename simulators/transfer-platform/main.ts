/**
 * Runs the transfer-platform simulator as its own process:
 *   node --import tsx simulators/transfer-platform/main.ts --port 3100 [--state data/platform-simulator.json]
 * Prints "listening <url>" when ready. Stops on SIGINT/SIGTERM, saving its state.
 */
import { buildPlatformSimulator } from './app';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const app = await buildPlatformSimulator({ stateFile: arg('state') });
  const url = await app.listen({ host: arg('host') ?? '127.0.0.1', port: Number(arg('port') ?? 3100) });
  process.stdout.write(`listening ${url}\n`);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`platform simulator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
