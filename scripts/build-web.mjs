// The web client: web/src bundled by esbuild into dist/web. Scripts and styles get content
// hashes in their names, so the host can serve them as immutable; index.html names them and
// is the one file a browser must ask for again.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const out = join(root, 'dist', 'web');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['web/src/main.tsx'],
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'eof',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => /^main-.*\.js$/.test(name));
const style = outputs.find((name) => /^main-.*\.css$/.test(name));
if (!script || !style)
  throw new Error(`the web client build wrote no script or style: ${outputs.join(', ')}`);

const page = readFileSync(join(root, 'web', 'src', 'index.html'), 'utf8')
  .replace('{{script}}', `/assets/${script}`)
  .replace('{{style}}', `/assets/${style}`);
writeFileSync(join(out, 'index.html'), page);
