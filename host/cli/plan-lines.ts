import type { BuildOptions, ContactJson, PlanItem, PlanService } from '../../core/index.js';
import type { Output } from './output.js';

/** How a contact is named on a line: its display name, else its name parts, else its e-mail. */
export function contactName(contact: ContactJson | undefined): string {
  if (!contact) return '(no name)';
  const parts = [contact.givenName, contact.surname].filter(Boolean).join(' ');
  return contact.displayName || parts || contact.emails?.[0]?.address || '(no name)';
}

/** One export or sync item as a line: what will happen, to whom, and why. */
export function planItemLine(item: PlanItem): string {
  const what = item.selected ? item.action : 'skip';
  const ids = [item.crmId && `crm ${item.crmId}`, item.groupwareId && `groupware ${item.groupwareId}`]
    .filter(Boolean)
    .join(', ');
  return `  ${what.padEnd(7)} ${contactName(item.crm ?? item.groupware)}${ids ? ` (${ids})` : ''} — ${item.reason}`;
}

/** Every item of a plan, page by page, so a large plan never sits whole in memory. */
export async function* planItems(plans: PlanService, planId: string): AsyncIterable<PlanItem> {
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await plans.page(planId, { offset, limit });
    yield* page.items;
    if (offset + page.items.length >= page.total || page.items.length === 0) return;
  }
}

/** The counts a headline shows: by what will happen and by reason. */
export function headline(counts: Record<string, number>): string[] {
  const pick = (prefix: string) =>
    Object.entries(counts)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, count]) => `${key.slice(prefix.length)} ${count}`)
      .join(', ');
  return [`  actions: ${pick('action:') || 'none'}`, `  reasons: ${pick('reason:') || 'none'}`];
}

/**
 * Builds a plan while its progress shows: the contacts classified of those read so far, a bar
 * on a terminal and a line now and then otherwise.
 */
export async function withBuildProgress<T>(
  out: Output,
  build: (options: BuildOptions) => Promise<T>,
): Promise<T> {
  try {
    return await build({
      onProgress: ({ read, classified }) =>
        out.progress('planning, contacts classified of read', classified, read, true),
    });
  } finally {
    out.endProgress();
  }
}
