/** JSON pointers (RFC 6901) into CRM records: read, write with intermediate objects, test. */

// A profile has a few dozen pointers, each read for every record: split each one once.
const parsed = new Map<string, readonly string[]>();

export function pointerSegments(pointer: string): readonly string[] {
  let segments = parsed.get(pointer);
  if (!segments) {
    segments =
      pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (parsed.size < 10_000) parsed.set(pointer, segments);
  }
  return segments;
}

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function getAt(value: unknown, pointer: string): unknown {
  const segments = pointerSegments(pointer);
  let current = value;
  for (let index = 0; index < segments.length; index++) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segments[index]!];
  }
  return current;
}

/** Whether the pointer reaches a property that exists (its value may be null). */
export function hasAt(value: unknown, pointer: string): boolean {
  const segments = pointerSegments(pointer);
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !(segment in (current as object))) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}

/** Sets a value, creating objects (or arrays, before a numeric segment) on the way. */
export function setAt(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const segments = pointerSegments(pointer);
  if (!segments.length) throw new Error('cannot replace the record itself');
  let current: Record<string, unknown> = target;
  segments.slice(0, -1).forEach((segment, index) => {
    if (current[segment] === null || typeof current[segment] !== 'object') {
      current[segment] = /^\d+$/.test(segments[index + 1]!) ? [] : {};
    }
    current = current[segment] as Record<string, unknown>;
  });
  current[segments.at(-1)!] = value;
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((segment) => `/${escapeSegment(String(segment))}`).join('');
}

/** Removes the property a pointer names, if it is there. */
export function deleteAt(target: unknown, pointer: string): void {
  const segments = pointerSegments(pointer);
  if (!segments.length) return;
  const parent = getAt(target, joinPointer('', ...segments.slice(0, -1)));
  if (parent !== null && typeof parent === 'object')
    delete (parent as Record<string, unknown>)[segments.at(-1)!];
}
