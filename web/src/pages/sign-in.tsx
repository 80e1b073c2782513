import { useState } from 'preact/hooks';
import { ApiError } from '../api/http';
import { type Session, signIn } from '../api/session';
import { useT } from '../i18n/language';
import { ErrorNote } from '../ui/error-note';
import { PageHeading } from '../ui/page-heading';
import { useTask } from '../ui/use-task';

/** Shown whenever the API says the session is missing or over (401). */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const t = useT();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const task = useTask();
  const submit = async (event: Event) => {
    event.preventDefault();
    const session = await task.run(() => signIn(login, password));
    if (session) onSignedIn(session);
  };
  return (
    <section class="sign-in">
      <PageHeading>{t.signIn.title}</PageHeading>
      <form onSubmit={submit} class="form-grid card">
        <label>
          {t.signIn.login}
          <input
            name="login"
            autocomplete="username"
            required
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
        </label>
        <label>
          {t.signIn.password}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {task.error instanceof ApiError && task.error.status === 401 ? (
          <p class="note note-error" role="alert">
            {t.signIn.failed}
          </p>
        ) : (
          <ErrorNote error={task.error} />
        )}
        <div class="actions">
          <button type="submit" class="button-primary" disabled={task.busy}>
            {t.signIn.submit}
          </button>
        </div>
      </form>
    </section>
  );
}
