import { useT } from '../i18n/language';

/** A job's progress; without a total yet it runs without a value (the browser shows it busy). */
export function Progress({ label, done, total }: { label: string; done?: number; total?: number }) {
  const t = useT();
  const known = done !== undefined && total !== undefined && total > 0;
  return (
    <div class="progress">
      <progress aria-label={label} {...(known ? { value: done, max: total } : {})} />
      <span aria-live="polite">{known ? t.common.progress(done, total) : ''}</span>
    </div>
  );
}
