/** A <details> whose content is rendered only once opened (long lists keep the popup fast). */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function LazyDetails({
  summary,
  initiallyOpen,
  children,
  testId,
}: {
  summary: ComponentChildren;
  initiallyOpen: boolean;
  children: () => ComponentChildren;
  testId?: string;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details
      open={initiallyOpen}
      data-testid={testId}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}
