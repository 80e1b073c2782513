const crmIdLine = /^(?:[A-Za-z0-9-]+\.)?X-CRMSYNC-ID[;:]/i;

/**
 * A vCard file from another crmsync installation carries that CRM's ids, which name nothing
 * here: a card with one would count as linked already and never be imported. This drops the
 * `X-CRMSYNC-ID` lines (and their folded continuations) as the bytes stream, so every card is
 * judged as new, by its duplicate verdict. Line breaks stay as they were, so lines and card
 * numbers in problems still point into the file.
 */
export async function* withoutCrmIds(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  let pending = Buffer.alloc(0);
  let dropping = false;
  const keep = (line: Buffer): Buffer => {
    const text = line.toString('latin1');
    const continuation = text.startsWith(' ') || text.startsWith('\t');
    if (!continuation) dropping = crmIdLine.test(text);
    // A dropped line keeps its line break, so later line numbers still match the file.
    return dropping ? Buffer.from(encoder.encode(text.endsWith('\r\n') ? '\r\n' : '\n')) : line;
  };
  for await (const chunk of source) {
    pending = Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    let start = 0;
    for (let at = pending.indexOf(0x0a); at !== -1; at = pending.indexOf(0x0a, start)) {
      out.push(keep(pending.subarray(start, at + 1)));
      start = at + 1;
    }
    pending = pending.subarray(start);
    if (out.length > 0) yield Buffer.concat(out);
  }
  if (pending.length > 0) yield keep(pending);
}
