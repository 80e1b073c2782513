import { useT } from '../i18n/language';

/** Pages through a long list (10,000 items and more); the list itself shows one page. */
export function Pager(props: {
  label: string;
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const t = useT();
  const { offset, limit, total, onChange } = props;
  if (total <= limit) return null;
  const pages = Math.ceil(total / limit);
  const page = Math.floor(offset / limit) + 1;
  const to = (target: number) => onChange(Math.max(0, Math.min(pages - 1, target - 1)) * limit);
  return (
    <nav class="pager" aria-label={t.pager.label(props.label)}>
      <button type="button" onClick={() => to(1)} disabled={page === 1} aria-label={t.pager.first}>
        «
      </button>
      <button type="button" onClick={() => to(page - 1)} disabled={page === 1} aria-label={t.pager.previous}>
        ‹
      </button>
      <span class="pager-position">
        {t.pager.page(page, pages)}
        <span class="pager-range">
          {' · '}
          {t.pager.range(offset + 1, Math.min(offset + limit, total), total)}
        </span>
      </span>
      <button type="button" onClick={() => to(page + 1)} disabled={page === pages} aria-label={t.pager.next}>
        ›
      </button>
      <button type="button" onClick={() => to(pages)} disabled={page === pages} aria-label={t.pager.last}>
        »
      </button>
    </nav>
  );
}
