/** Icons drawn here rather than taken from a font: the page loads nothing from elsewhere, and emoji fonts vary. */
export function MagnifierIcon() {
  return (
    <svg class="icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2" />
      <line
        x1="12.6"
        y1="12.6"
        x2="17.5"
        y2="17.5"
        stroke="currentColor"
        stroke-width="2.4"
        stroke-linecap="round"
      />
    </svg>
  );
}
