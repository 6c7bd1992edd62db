/**
 * One collapsible section of the popup: a native <details>/<summary> (keyboard and screen-reader
 * support come with the element: https://html.spec.whatwg.org/multipage/interactive-elements.html#the-details-element),
 * its heading inside the summary (allowed there: "phrasing content, optionally intermixed with
 * heading content") and a one-line hint of what is inside, so the closed popup still tells enough.
 */
import type { ComponentChildren } from 'preact';

export function Section({
  id,
  title,
  hint,
  children,
}: {
  id: string;
  title: string;
  hint?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <details class="section" data-section={id} data-testid={`section-${id}`}>
      <summary>
        <h2 class="section-title" id={`section-${id}-title`}>
          {title}
        </h2>
        {hint !== undefined && hint !== null ? <span class="section-hint">{hint}</span> : null}
      </summary>
      <div class="section-body">{children}</div>
    </details>
  );
}
