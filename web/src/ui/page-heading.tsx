import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** When the last page heading appeared; a step heading soon after it is part of the same page. */
let pageShownAt = Number.NEGATIVE_INFINITY;
let firstPage = true;
const samePageMs = 400;

/**
 * A page's heading (level 1) or a wizard step's (level 2). It takes focus when it appears
 * after the user moved on — to another page, or to the next step — so that keyboard and
 * screen-reader users go on reading where the new content begins. The first page of a visit
 * and a step drawn together with its page leave focus where the browser put it.
 */
export function PageHeading({ children, level = 1 }: { children: ComponentChildren; level?: 1 | 2 }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const now = performance.now();
    let focus: boolean;
    if (level === 1) {
      focus = !firstPage;
      firstPage = false;
      pageShownAt = now;
    } else {
      focus = now - pageShownAt > samePageMs;
    }
    if (focus && !document.querySelector('dialog[open]')) ref.current?.focus();
  }, []);
  const Tag = level === 1 ? 'h1' : 'h2';
  return (
    <Tag ref={ref} tabIndex={-1} class="page-heading">
      {children}
    </Tag>
  );
}
