import { useEffect, useId, useState } from 'preact/hooks';
import { planPage } from '../../api/endpoints';
import type { PlanItem } from '../../api/types';
import { useT } from '../../i18n/language';
import { ErrorNote } from '../../ui/error-note';
import { cityOf, firstEmail, nameOf } from '../../ui/names';
import { Pager } from '../../ui/pager';
import { useTask } from '../../ui/use-task';

const pageSize = 25;

/**
 * One list of the assignment table (E3), a page at a time: rows are marked with their check
 * box and moved with the buttons beside the lists, or at once by a double click or Enter.
 */
export function RecordList(props: {
  planId: string;
  selected: boolean;
  title: string;
  total: number;
  /** Changes whenever items moved, so the page is read again. */
  version: number;
  marks: Set<number>;
  onMarks: (marks: Set<number>) => void;
  onMove: (seqs: number[]) => void;
}) {
  const t = useT();
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState<PlanItem[]>([]);
  const load = useTask();

  // A page emptied by a move steps back to the last page that still has items.
  const lastOffset = Math.max(0, Math.floor((props.total - 1) / pageSize) * pageSize);
  const shown = Math.min(offset, lastOffset);
  useEffect(() => {
    void load.run(async () => {
      const page = await planPage(props.planId, shown, pageSize, { selected: props.selected });
      setItems(page.items);
    });
  }, [props.planId, props.selected, props.version, shown]);

  const toggle = (seq: number, on: boolean) => {
    const next = new Set(props.marks);
    if (on) next.add(seq);
    else next.delete(seq);
    props.onMarks(next);
  };
  const allMarked = items.length > 0 && items.every((item) => props.marks.has(item.seq));

  return (
    <section class="record-list" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {props.title} <span class="count">({t.export.listCount(props.total)})</span>
      </h3>
      <ErrorNote error={load.error} />
      <div class="table-scroll" aria-busy={load.busy}>
        <table class="table table-records">
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col" class="col-check">
                <input
                  type="checkbox"
                  aria-label={t.export.markPage}
                  checked={allMarked}
                  disabled={items.length === 0}
                  onChange={(event) => {
                    const next = new Set(props.marks);
                    for (const item of items)
                      if (event.currentTarget.checked) next.add(item.seq);
                      else next.delete(item.seq);
                    props.onMarks(next);
                  }}
                />
              </th>
              <th scope="col">{t.contact.name}</th>
              <th scope="col">{t.contact.partner}</th>
              <th scope="col">{t.contact.city}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && !load.busy && (
              <tr>
                <td colSpan={4} class="empty">
                  {t.export.emptyList}
                </td>
              </tr>
            )}
            {items.map((item) => {
              const name = nameOf(item.crm, item.crmId ?? '');
              const marked = props.marks.has(item.seq);
              return (
                <tr
                  key={item.seq}
                  class={marked ? 'row-marked' : undefined}
                  onDblClick={() => props.onMove([item.seq])}
                >
                  <td class="col-check">
                    <input
                      type="checkbox"
                      aria-label={t.export.markRow(name)}
                      checked={marked}
                      onChange={(event) => toggle(item.seq, event.currentTarget.checked)}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter') {
                          event.preventDefault();
                          props.onMove([item.seq]);
                        }
                      }}
                    />
                  </td>
                  <td>
                    <span class="cell-main">{name}</span>
                    {item.reason === 'exported-before' && (
                      <span class="badge badge-info" title={t.export.exportedBeforeHint}>
                        {t.export.exportedBefore}
                      </span>
                    )}
                    {item.reason === 'sure-duplicate' && (
                      <span class="badge badge-info" title={t.export.inGroupwareHint}>
                        {t.export.inGroupware}
                      </span>
                    )}
                    {firstEmail(item.crm) && <span class="cell-sub">{firstEmail(item.crm)}</span>}
                  </td>
                  <td>{item.crm?.company ?? item.crm?.partnerId ?? ''}</td>
                  <td>{cityOf(item.crm)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager label={props.title} offset={shown} limit={pageSize} total={props.total} onChange={setOffset} />
    </section>
  );
}
