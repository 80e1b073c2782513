import { useT } from '../i18n/language';

/** Where in a wizard the user is: the steps in order, the current one marked for screen readers too. */
export function Steps({ steps, current }: { steps: string[]; current: number }) {
  const t = useT();
  return (
    <ol class="steps" aria-label={t.common.steps}>
      {steps.map((step, index) => (
        <li
          key={step}
          class={index === current ? 'step step-current' : index < current ? 'step step-done' : 'step'}
          aria-current={index === current ? 'step' : undefined}
        >
          <span class="step-number" aria-hidden="true">
            {index + 1}
          </span>
          {step}
        </li>
      ))}
    </ol>
  );
}
