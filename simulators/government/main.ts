/**
 * Runs the government-systems simulator as its own process:
 *   node --import tsx simulators/government/main.ts --port 3200 [--state data/government-simulator.json]
 * Prints "listening <url>" when ready.
 */
import { buildGovernmentSimulator } from './app';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const app = await buildGovernmentSimulator({ stateFile: arg('state') });
  const url = await app.listen({ host: arg('host') ?? '127.0.0.1', port: Number(arg('port') ?? 3200) });
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
  process.stderr.write(`government simulator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
