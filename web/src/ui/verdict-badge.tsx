import { useId, useState } from 'preact/hooks';
import type { Finding, Verdict } from '../api/types';
import { useContributionName } from '../catalog';
import { useT } from '../i18n/language';

/**
 * A contact's duplicate status (I6). Its findings — which rule found which CRM contact by
 * which values — show while the badge is hovered or has focus.
 */
export function VerdictBadge({ verdict, findings }: { verdict: Verdict; findings: Finding[] }) {
  const t = useT();
  const nameOf = useContributionName();
  const tipId = useId();
  // Escape hides the findings without moving focus or the pointer (WCAG 1.4.13).
  const [dismissed, setDismissed] = useState(false);
  const label = t.import.verdicts[verdict] ?? verdict;
  if (findings.length === 0)
    return (
      <span class={`badge badge-${verdict}`} title={t.import.verdictHints[verdict]}>
        {label}
      </span>
    );
  return (
    <span class={dismissed ? 'tip-anchor tip-dismissed' : 'tip-anchor'}>
      <button
        type="button"
        class={`badge badge-${verdict}`}
        aria-describedby={tipId}
        onFocus={() => setDismissed(false)}
        onMouseEnter={() => setDismissed(false)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDismissed(true);
        }}
      >
        {label}
      </button>
      <span role="tooltip" id={tipId} class="tip">
        <span class="tip-title">{t.import.verdictHints[verdict]}</span>
        <span class="tip-line">{t.import.foundInCrm}</span>
        {findings.map((finding) => (
          <span class="tip-finding" key={`${finding.ruleId}:${finding.crmId}`}>
            <span class="tip-line">
              <strong>{finding.crmDisplayName ?? finding.crmId}</strong> ({finding.crmId}) –{' '}
              {nameOf(finding.ruleId)}
            </span>
            <span class="tip-line tip-evidence">
              {Object.entries(finding.evidence)
                .map(([field, value]) => `${t.import.evidence[field] ?? field}: ${value}`)
                .join(' · ')}
            </span>
          </span>
        ))}
      </span>
    </span>
  );
}
