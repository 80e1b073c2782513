import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each benchmark is a module bench/<name>.ts (or bench/<name>/main.ts) whose top-level code
// measures and prints its figures. Peak RSS is per process, so each runs in its own.
const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((name) => name.endsWith('.js') && name !== 'run.js')
  .map((name) => name.slice(0, -3))
  .concat(readdirSync(here).filter((name) => existsSync(join(here, name, 'main.js'))));

const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name>\navailable: ${available.sort().join(', ')}\n`);
  process.exit(name ? 2 : 0);
}
const file = existsSync(join(here, `${name}.js`)) ? join(here, `${name}.js`) : join(here, name, 'main.js');
await import(file);
