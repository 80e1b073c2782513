import type { FileExchangeService, RecordProblem } from '../../core/index.js';

/** One card of an import file as read: a contact (with or without a CRM id) or the problem that replaced it. */
export type IncomingCard =
  | { card: number; carriesCrmId: boolean; problem?: undefined }
  | { card: number; problem: RecordProblem };

/**
 * The file's cards in order, numbered from 1. The import plan holds only the contacts without
 * a CRM id, in file order; this reading tells which card each of them came from, and which
 * cards could not be read at all.
 */
export async function readIncomingCards(
  files: FileExchangeService,
  source: AsyncIterable<Uint8Array>,
  fileName: string,
): Promise<IncomingCard[]> {
  const { items } = await files.previewImport(source, fileName);
  const cards: IncomingCard[] = [];
  for await (const fetched of items) {
    const card = cards.length + 1;
    cards.push(
      fetched.ok
        ? { card, carriesCrmId: Boolean(fetched.value.ids.crmId) }
        : { card: fetched.problem.location.card ?? card, problem: fetched.problem },
    );
  }
  return cards;
}
