/**
 * "Save as PDF": the print rendering of the complaint (lib/export/html.ts, the same renderer as the
 * HTML file, with the screenshot shown in place) in a frame over the page, printed with the
 * browser's own print dialog, where the user picks "Save as PDF".
 *
 * The frame is a sandboxed srcdoc document without scripts (`allow-same-origin` so this page can
 * call its print(), `allow-modals` for the dialog): the rendering's own CSP (default-src 'none')
 * and escaping keep page-derived text inert, the sandbox keeps it so even if they did not.
 * Printing the frame prints only the complaint, not this page.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '@/lib/i18n/ui';
import { historyMessages } from '@/lib/i18n/history';

export function PrintView({ html, lang, onClose }: { html: string; lang: Lang; onClose: () => void }) {
  const t = historyMessages[lang];
  const frame = useRef<HTMLIFrameElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const [printed, setPrinted] = useState(0);

  const print = () => {
    const w = frame.current?.contentWindow;
    if (!w) return;
    w.focus();
    w.print();
    // print() returns when the dialog closes: focus back on the bar, or Escape and Tab would stay
    // inside the frame's document, where this page's key handler does not hear them.
    close.current?.focus();
    setPrinted((n) => n + 1);
  };

  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div
      class="print-view"
      role="dialog"
      aria-modal="true"
      aria-labelledby="print-title"
      data-testid="print-view"
      data-printed={printed}
    >
      <div class="print-bar">
        <h2 id="print-title">{t.printTitle}</h2>
        <p class="note">{t.printHelp}</p>
        <button type="button" data-testid="print-again" onClick={print}>
          {t.printAgain}
        </button>{' '}
        <button type="button" ref={close} data-testid="print-close" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <iframe
        ref={frame}
        title={t.printTitle}
        sandbox="allow-same-origin allow-modals"
        srcdoc={html}
        data-testid="print-frame"
        onLoad={print}
      />
    </div>
  );
}
