import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/**
 * A modal dialog on the browser's own <dialog>: it keeps focus inside, Escape closes it, and
 * the control that opened it gets focus back.
 */
export function Dialog(props: {
  title: string;
  subtitle?: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
  role?: 'dialog' | 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      role={props.role}
    >
      <header class="dialog-header">
        <h2 id={titleId}>{props.title}</h2>
        {props.subtitle && <p class="dialog-subtitle">{props.subtitle}</p>}
      </header>
      {props.children}
    </dialog>
  );
}
