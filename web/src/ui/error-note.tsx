import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/http';
import { useT } from '../i18n/language';

/** What went wrong, said where it happened: the client's words for the code, and the server's. */
export function ErrorNote({ error, id }: { error: unknown; id?: string }) {
  const t = useT();
  if (!error) return null;
  const known = error instanceof ApiError ? error : undefined;
  const code = known?.code ?? 'CLIENT_ERROR';
  const message = known ? known.message : String((error as Error)?.message ?? error);
  return (
    <div class="note note-error" role="alert" id={id}>
      <p>{t.errors.byCode[code] ?? t.errors.generic}</p>
      {message && (
        <p class="note-detail">
          {/* The client's own failures (no answer, a page that could not draw) are not the server's words. */}
          {code.startsWith('CLIENT_') ? t.errors.clientDetail(message, code) : t.errors.detail(message, code)}
        </p>
      )}
    </div>
  );
}

/** News, not an error: the result of an action, or an empty result (I3). */
export function InfoNote({
  children,
  kind = 'info',
}: {
  children: ComponentChildren;
  kind?: 'info' | 'success';
}) {
  return (
    <div class={`note note-${kind}`} role="status">
      {children}
    </div>
  );
}
