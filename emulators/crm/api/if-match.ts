import { ValidationFailure } from './validation.js';

/**
 * An If-Match precondition as RFC 9110 §13.1.1 defines it: `*` (the contact exists, whatever its
 * version) or a list of entity tags. If-Match compares strongly, so a weak tag (`W/"3"`) is
 * understood but never matches.
 */
export type IfMatch = { any: true } | { any: false; versions: number[] };

// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE; etagc excludes DQUOTE, controls and spaces.
const entityTag = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/** The header, parsed; undefined when absent. Malformed syntax is a 400 naming If-Match. */
export function parseIfMatch(header: string | string[] | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header.join(',') : header).trim();
  if (text === '*') return { any: true };
  const versions: number[] = [];
  for (const member of text.split(',')) {
    const tag = member.trim();
    // Empty list members are allowed by the list syntax (RFC 9110 §5.6.1).
    if (tag === '') continue;
    const match = entityTag.exec(tag);
    if (!match) {
      throw new ValidationFailure(
        'If-Match',
        `${JSON.stringify(tag)} is not an entity tag; send the ETag of the contact, e.g. "3", a list of them, or *`,
      );
    }
    if (!match[1] && /^\d+$/.test(match[2]!)) versions.push(Number(match[2]));
  }
  if (versions.length === 0 && !text.split(',').some((member) => member.trim() !== '')) {
    throw new ValidationFailure('If-Match', 'is empty; send the ETag of the contact, e.g. "3", or *');
  }
  return { any: false, versions };
}

/** Whether the contact at `version` satisfies the precondition. */
export function ifMatchAccepts(condition: IfMatch, version: number): boolean {
  return condition.any || condition.versions.includes(version);
}
