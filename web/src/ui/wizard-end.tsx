import { useLanguage } from '../i18n/language';
import { href } from '../router';

/** How a wizard ends, committed or cancelled: start it again, or go back to the start page. */
export function WizardEndActions({ again, onAgain }: { again: string; onAgain: () => void }) {
  const { t } = useLanguage();
  return (
    <div class="actions">
      <button type="button" class="button-primary" onClick={onAgain}>
        {again}
      </button>
      <a class="button" href={href.start}>
        {t.app.toStart}
      </a>
    </div>
  );
}
