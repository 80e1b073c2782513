import { useEffect, useState } from 'preact/hooks';
import { assignPartner, planPage, planView, selectItems } from '../../api/endpoints';
import type { PlanItem, PlanView } from '../../api/types';
import { useContributionName } from '../../catalog';
import { useT } from '../../i18n/language';
import { ErrorNote } from '../../ui/error-note';
import { MagnifierIcon } from '../../ui/icons';
import { firstEmail, nameOf } from '../../ui/names';
import { Pager } from '../../ui/pager';
import { useTask } from '../../ui/use-task';
import { VerdictBadge } from '../../ui/verdict-badge';
import { PartnerDialog } from '../partner-dialog';

const pageSize = 50;

/** Why a row cannot be ticked, if it cannot (I5, I7). */
function blocked(item: PlanItem, t: ReturnType<typeof useT>): string | undefined {
  if (item.duplicate?.verdict === 'sure') return t.import.cannotSure;
  if (!item.partner) return t.import.cannotNoPartner;
  return undefined;
}

/**
 * I4–I7: the contacts to import, a page at a time, each with its duplicate status, its
 * business partner (pre-assigned with the reason, or to be found with the magnifier) and the
 * box that ticks it for import — disabled, with the reason beside it, for a sure duplicate
 * and for a contact still without a partner.
 */
export function ImportTable(props: { view: PlanView; onView: (view: PlanView) => void }) {
  const t = useT();
  const nameOfContribution = useContributionName();
  const planId = props.view.plan.id;
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<PlanItem[]>([]);
  const [searching, setSearching] = useState<PlanItem | undefined>();
  const load = useTask();
  const tick = useTask();

  useEffect(() => {
    void load.run(async () => setItems((await planPage(planId, offset, pageSize)).items));
  }, [planId, offset]);

  const replace = (changed: PlanItem[]) =>
    setItems((shown) => shown.map((item) => changed.find((c) => c.seq === item.seq) ?? item));

  // The box shows the new state at once; should the API refuse, it goes back and says why.
  const setTicked = (targets: PlanItem[], selected: boolean) => {
    replace(targets.map((item) => ({ ...item, selected })));
    return tick.run(async () => {
      try {
        props.onView(
          await selectItems(
            planId,
            targets.map((item) => item.seq),
            selected,
          ),
        );
      } catch (error) {
        replace(targets);
        throw error;
      }
    });
  };

  const tickable = items.filter((item) => !blocked(item, t));
  const allTicked = tickable.length > 0 && tickable.every((item) => item.selected);

  const partnerCell = (item: PlanItem, name: string) => {
    const assignment = item.partner;
    // A sure duplicate is not imported: it needs no partner.
    if (item.duplicate?.verdict === 'sure') return <span class="muted">{t.common.none}</span>;
    return (
      <div class="partner-cell">
        <div>
          {assignment ? (
            <>
              <span class="cell-main">{assignment.partner.name}</span>
              <span class="cell-sub">
                {assignment.by === 'user'
                  ? t.import.partnerByUser
                  : t.import.partnerByResolver(
                      assignment.resolverId ? nameOfContribution(assignment.resolverId) : assignment.reason,
                    )}
              </span>
            </>
          ) : (
            <>
              <span class="cell-main muted">{t.import.noPartner}</span>
              {item.partnerCandidates && item.partnerCandidates.length > 0 && (
                <span class="cell-sub">{t.import.partnerCandidates(item.partnerCandidates.length)}</span>
              )}
            </>
          )}
        </div>
        <button
          type="button"
          class="icon-button"
          aria-label={t.import.findPartnerFor(name)}
          title={t.import.findPartnerFor(name)}
          onClick={() => setSearching(item)}
        >
          <MagnifierIcon />
        </button>
      </div>
    );
  };

  return (
    <>
      <ErrorNote error={load.error} />
      <ErrorNote error={tick.error} />
      {/* No scrolling box around this table: it would clip the duplicate findings shown below a badge. */}
      <div aria-busy={load.busy}>
        <table class="table table-import">
          <caption class="visually-hidden">{t.import.table}</caption>
          <thead>
            <tr>
              <th scope="col" class="col-check">
                <input
                  type="checkbox"
                  aria-label={t.import.tickPage}
                  checked={allTicked}
                  disabled={tickable.length === 0}
                  onChange={(event) => setTicked(tickable, event.currentTarget.checked)}
                />
              </th>
              <th scope="col">{t.contact.name}</th>
              <th scope="col">{t.import.duplicateStatus}</th>
              <th scope="col">{t.contact.partner}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const name = nameOf(item.groupware, item.groupwareId ?? `#${item.seq + 1}`);
              const why = blocked(item, t);
              const whyId = `why-${item.seq}`;
              return (
                <tr key={item.seq} class={item.selected ? 'row-marked' : undefined}>
                  <td class="col-check">
                    <input
                      type="checkbox"
                      aria-label={t.import.tickRow(name)}
                      aria-describedby={why ? whyId : undefined}
                      checked={item.selected && !why}
                      disabled={Boolean(why)}
                      onChange={(event) => setTicked([item], event.currentTarget.checked)}
                    />
                  </td>
                  <td>
                    <span class="cell-main">{name}</span>
                    {firstEmail(item.groupware) && <span class="cell-sub">{firstEmail(item.groupware)}</span>}
                    {item.groupware?.company && <span class="cell-sub">{item.groupware.company}</span>}
                    {why && (
                      <span class="cell-why" id={whyId}>
                        {why}
                      </span>
                    )}
                  </td>
                  <td>
                    <VerdictBadge
                      verdict={item.duplicate?.verdict ?? 'none'}
                      findings={item.duplicate?.findings ?? []}
                    />
                  </td>
                  <td>{partnerCell(item, name)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager
        label={t.import.table}
        offset={offset}
        limit={pageSize}
        total={props.view.counts.total ?? 0}
        onChange={setOffset}
      />
      {searching && (
        <PartnerDialog
          subtitle={t.partnerDialog.forContact(nameOf(searching.groupware, searching.groupwareId ?? ''))}
          // The resolvers looked for the contact's e-mail domain already; its company may still find a partner.
          initial={searching.groupware?.company ? { name: searching.groupware.company } : {}}
          candidates={searching.partnerCandidates}
          action={{ label: t.partnerDialog.assign, named: t.partnerDialog.assignNamed }}
          onPick={async (partner) => {
            const item = await assignPartner(planId, searching.seq, partner.id);
            replace([item]);
            setSearching(undefined);
            props.onView(await planView(planId));
          }}
          onClose={() => setSearching(undefined)}
        />
      )}
    </>
  );
}
