import { useEffect, useState } from 'preact/hooks';
import { planPage } from '../api/endpoints';
import type { PlanItem } from '../api/types';
import { useT } from '../i18n/language';
import { nameOf } from '../ui/names';

export interface NotWritten {
  seq: number;
  code: string;
  message: string;
}

/** Shown in a list at most; the summary counts them all. */
const shownAtMost = 100;

/** I8: each contact that was not written, by name, with the reason in the page's language. */
export function NotWrittenList({ planId, entries }: { planId: string; entries: NotWritten[] }) {
  const t = useT();
  const [names, setNames] = useState<Map<number, string>>(new Map());
  useEffect(() => {
    let live = true;
    Promise.all(
      (['refused', 'failed'] as const).map((outcome) => planPage(planId, 0, shownAtMost, { outcome })),
    ).then(
      (pages) => {
        if (!live) return;
        const items: PlanItem[] = pages.flatMap((page) => page.items);
        setNames(
          new Map(items.map((item) => [item.seq, nameOf(item.groupware ?? item.crm, `#${item.seq}`)])),
        );
      },
      // Without names the list still says why, by position.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [planId]);
  return (
    <ul class="not-written">
      {entries.slice(0, shownAtMost).map((entry) => (
        <li key={entry.seq}>
          <strong>{names.get(entry.seq) ?? `#${entry.seq + 1}`}</strong>:{' '}
          {t.errors.byCode[entry.code] ?? entry.message}
          {t.errors.byCode[entry.code] ? null : <span class="muted"> ({entry.code})</span>}
        </li>
      ))}
    </ul>
  );
}
