// Rewrites the manifest JSON schemas on disk from the contribution point table, so that
// editors' `$schema` completion follows the table. Run through `npm run schemas`, which
// compiles the table first; a kernel test fails while the files differ from the table.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const generator = join(root, 'dist', 'core', 'kernel', 'manifest-schemas.js');
if (!existsSync(generator)) {
  console.error(`${generator} is missing: compile first (npm run schemas does)`);
  process.exit(1);
}
const { manifestSchemaFiles } = await import(generator);

const files = Object.entries(manifestSchemaFiles()).map(([name, schema]) => {
  const file = join(root, 'core', 'kernel', name);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  return { name, file };
});
const written = files.map(({ file }) => file);
// The team's formatter decides the layout, so that a rewrite changes only what the table changed.
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
execFileSync(process.execPath, [biome, 'format', '--write', ...written], { stdio: 'inherit' });
for (const { name, file } of files) {
  copyFileSync(file, join(root, 'dist', 'core', 'kernel', name));
  console.log(`wrote ${file}`);
}
