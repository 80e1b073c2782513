/** An e-mail address (trimmed, lower case) split at its last `@`. */
export function splitAddress(key: string): { local: string; domain: string } {
  const at = key.lastIndexOf('@');
  return { local: key.slice(0, at), domain: key.slice(at + 1) };
}

/** Local parts of e-mail addresses, the empty ones left out. */
export function localPartsOf(addresses: readonly string[]): string[] {
  return addresses.map((address) => splitAddress(address).local).filter((local) => local.length > 0);
}
