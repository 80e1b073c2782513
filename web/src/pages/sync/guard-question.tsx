import type { PlanHeader } from '../../api/types';
import { useT } from '../../i18n/language';

/**
 * The mass-deletion guard's question in the page's language: how many linked contacts the
 * run would delete from which side, and whether that side looks empty.
 */
export function GuardReasons({ plan }: { plan: PlanHeader }) {
  const t = useT();
  const summary = plan.summary as {
    linked?: number;
    deletions?: Record<string, number>;
    guard?: string[];
  };
  const linked = summary.linked ?? 0;
  const share = Number(plan.options.maxDeletionShare ?? 0.1);
  const lines: string[] = [];
  for (const side of ['crm', 'groupware']) {
    const deletions = summary.deletions?.[side] ?? 0;
    const sideName = t.sync.guardSide[side] ?? side;
    if (linked > 0 && deletions >= linked) lines.push(t.sync.guardEmpty(linked, sideName));
    else if (linked > 0 && deletions > linked * share)
      lines.push(
        t.sync.guardShare(
          deletions,
          linked,
          (Math.round((deletions / linked) * 1000) / 10).toLocaleString(t.locale),
          sideName,
          Math.round(share * 100).toLocaleString(t.locale),
        ),
      );
  }
  const shown = lines.length > 0 ? lines : (summary.guard ?? []);
  return (
    <ul>
      {shown.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
