import { useEffect, useState } from 'preact/hooks';
import { planPage } from '../../api/endpoints';
import { useT } from '../../i18n/language';

/** Why a contact of the list was not part of the import at all. */
const reasons = ['sure-duplicate', 'no-partner', 'possible-duplicate', 'not-selected'] as const;

/**
 * I8's other half: the contacts of the list that were not imported because they were never
 * ticked, counted by their reason (a sure duplicate, no partner, an unticked possible duplicate).
 */
export function LeftOut({ planId }: { planId: string }) {
  const t = useT();
  const [counts, setCounts] = useState<[string, number][]>([]);
  useEffect(() => {
    let live = true;
    Promise.all(reasons.map((reason) => planPage(planId, 0, 1, { outcome: 'none', reason }))).then(
      (pages) => {
        if (live) setCounts(pages.map((page, index) => [reasons[index]!, page.total]));
      },
      // The count of imported contacts stands on its own; this is the detail.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [planId]);
  const shown = counts.filter(([, count]) => count > 0);
  if (shown.length === 0) return null;
  return (
    <>
      <p>{t.import.leftOut}</p>
      <ul class="not-written">
        {shown.map(([reason, count]) => (
          <li key={reason}>
            {t.reasons[reason]}: {t.common.count(count)}
          </li>
        ))}
      </ul>
    </>
  );
}
