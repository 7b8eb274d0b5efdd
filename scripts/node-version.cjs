/**
 * Which Node.js runs the project, said once at the start of `npm start` and `npm test`.
 *
 * The project runs on Node 24 LTS. npm puts node_modules/.bin first on the PATH of its scripts,
 * and on Linux (x64, arm64) `npm install` places the official Node 24 binary there (the optional
 * dependency node-linux-<arch>), so `node` in a script is Node 24 even where the machine's own is
 * older. Elsewhere the machine's node must be 24 or newer; an older one stops here with what to do.
 */
'use strict';

const REQUIRED_MAJOR = 24;

/** The sentence for a node older than REQUIRED_MAJOR, or undefined when `version` will do. */
function tooOld(version, execPath) {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (major >= REQUIRED_MAJOR) return undefined;
  return (
    `Node ${version} (${execPath}) is too old: flex-pension runs on Node ${REQUIRED_MAJOR} LTS. ` +
    `On Linux x64/arm64, \`npm install\` brings it (node_modules/.bin/node; run the commands through npm, which puts it first on the PATH); ` +
    `elsewhere install Node ${REQUIRED_MAJOR} (e.g. \`nvm install ${REQUIRED_MAJOR}\`).`
  );
}

/** Prints the version line; exits 1 with a sentence when the running node is too old. */
function checkNodeVersion(tag) {
  const problem = tooOld(process.version, process.execPath);
  if (problem) {
    process.stderr.write(`[${tag}] ${problem}\n`);
    process.exit(1);
  }
  process.stdout.write(`[${tag}] Node ${process.version} (${process.execPath})\n`);
}

module.exports = { checkNodeVersion, tooOld, REQUIRED_MAJOR };

if (require.main === module) checkNodeVersion(process.argv[2] || 'node');
