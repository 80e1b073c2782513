import { execFileSync } from 'node:child_process';

/**
 * Checks a ZIP with two readers that are not crmsync's: Info-ZIP's `unzip -t` (which tests
 * every entry's CRC) and Python's `zipfile`. Returns the entry names Python read, in order.
 * Where either tool is missing, this throws, so the test fails saying so.
 */
export function checkedZipEntries(path: string): string[] {
  execFileSync('unzip', ['-tqq', path], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const script = [
    'import json, sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1]) as z:',
    '    bad = z.testzip()',
    '    if bad: sys.exit("bad entry: " + bad)',
    '    json.dump([i.filename for i in z.infolist()], sys.stdout)',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script, path], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as string[];
}

/** Whether the ZIP's end records are those of ZIP64 (a ZIP64 end of central directory record is present). */
export function isZip64(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 200)));
  return (
    tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])) &&
    tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))
  );
}
