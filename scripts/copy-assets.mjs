// tsc emits only JavaScript; plugin manifests and JSON schemas must sit beside the compiled
// code so that a plugin folder under dist/ is complete and can be discovered like any other.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const sources = ['core', 'plugins', 'host', 'emulators', 'config'];
const copied = /(^plugin\.json$|\.schema\.json$|\.html$|\.css$)/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (copied.test(name)) {
      const target = join(root, 'dist', relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
for (const source of sources) if (existsSync(join(root, source))) walk(join(root, source));
