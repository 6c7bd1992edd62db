/**
 * The list of sites, virtualised: rows have a fixed height and only the rows in (or near) the
 * viewport are in the DOM, so 10,000 entries cost as much as 30.
 *
 * Accessibility: an ARIA table with aria-rowcount/aria-rowindex (screen readers announce
 * "row 512 of 10,001" although only a few rows exist), a roving tab stop (Tab enters the list
 * at the active row and leaves it with the next Tab), arrow keys, Page Up/Down, Home and End
 * move between rows, Enter follows the row's link.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Lang } from '@/lib/i18n/ui';
import { verdictIcon, formatDateTime, historyMessages, pageKindLabel, verdictWord } from '@/lib/i18n/history';
import type { SiteSummary } from '@/lib/history/schema';

export const ROW_HEIGHT = 48;
const OVERSCAN = 6;

export function siteHref(site: string, lang: Lang): string {
  return `?${new URLSearchParams({ site, lang }).toString()}`;
}

export function SiteList({ sites, lang }: { sites: SiteSummary[]; lang: Lang }) {
  const t = historyMessages[lang];
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(ROW_HEIGHT * 12);
  const [active, setActive] = useState(0);
  const [focusWanted, setFocusWanted] = useState(false);

  // Filters shrink the list: keep the active row inside it.
  const activeIndex = Math.min(active, Math.max(0, sites.length - 1));

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setViewHeight(el.clientHeight || ROW_HEIGHT * 12);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!focusWanted) return;
    setFocusWanted(false);
    viewport.current
      ?.querySelector<HTMLAnchorElement>(`[data-index="${activeIndex}"] a`)
      ?.focus({ preventScroll: true });
  }, [focusWanted, activeIndex, scrollTop]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(sites.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const activeRendered = activeIndex >= first && activeIndex < last;

  const moveTo = (index: number) => {
    const el = viewport.current;
    const n = Math.max(0, Math.min(sites.length - 1, index));
    setActive(n);
    if (el) {
      const top = n * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
      setScrollTop(el.scrollTop);
    }
    setFocusWanted(true);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!sites.length) return;
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: sites.length - 1,
    };
    const target = keys[e.key];
    if (target === undefined) return;
    e.preventDefault();
    moveTo(target);
  };

  const rows = [];
  for (let i = first; i < last; i++) {
    const s = sites[i]!;
    rows.push(
      <div
        role="row"
        class={`hl-row${i === activeIndex ? ' active' : ''}`}
        aria-rowindex={i + 2}
        data-index={i}
        data-testid="site-row"
        data-site={s.site}
        data-verdict={s.verdict}
        key={s.site}
        style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}
      >
        <div role="cell" class="hl-site">
          <a
            href={siteHref(s.site, lang)}
            tabIndex={i === activeIndex ? 0 : -1}
            onFocus={() => setActive(i)}
            data-testid="site-link"
          >
            {s.site}
          </a>
          <span class="hl-title muted" data-testid="site-title">
            {s.title}
          </span>
        </div>
        <div role="cell">
          <span class={`vd vd-${s.verdict}`} data-testid="site-verdict">
            <span aria-hidden="true">{verdictIcon(s.verdict)}</span> {verdictWord(s.verdict, lang)}
          </span>
        </div>
        <div role="cell" data-testid="site-authority">
          {s.isAuthority ? (
            <span class="authority-flag">
              <span aria-hidden="true">🏛</span> {t.isAuthority}
            </span>
          ) : (
            <span class="sr-only">{t.no}</span>
          )}
          <span class="hl-kind muted">{pageKindLabel(s.pageKind, lang)}</span>
        </div>
        <div role="cell">{formatDateTime(s.lastVisit, lang)}</div>
        <div role="cell" class="num" data-testid="site-third-parties">
          {s.thirdParties}
        </div>
        <div role="cell" class="num">
          {s.visits}
        </div>
      </div>,
    );
  }

  return (
    // The table owns its scrolled body through aria-owns: a table may only contain row groups and
    // rows (https://www.w3.org/TR/wai-aria-1.2/#table), not the help text or the focusable scroll
    // box that keeps the body's rows reachable by keyboard.
    <div class="hl-table" data-testid="site-list">
      <p id="hl-help" class="sr-only">
        {t.listHelp}
      </p>
      <div
        role="table"
        aria-label={t.listLabel}
        aria-rowcount={sites.length + 1}
        aria-describedby="hl-help"
        aria-owns="hl-body"
      >
        <div role="rowgroup" class="hl-head">
          <div role="row" aria-rowindex={1} class="hl-row hl-header">
            <div role="columnheader">{t.site}</div>
            <div role="columnheader">{t.verdict}</div>
            <div role="columnheader">{t.authority}</div>
            <div role="columnheader">{t.lastVisit}</div>
            <div role="columnheader" class="num">
              {t.thirdParties}
            </div>
            <div role="columnheader" class="num">
              {t.visits}
            </div>
          </div>
        </div>
      </div>
      <div
        class="hl-viewport"
        ref={viewport}
        tabIndex={activeRendered || !sites.length ? -1 : 0}
        onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          if (e.target === viewport.current) moveTo(Math.floor(scrollTop / ROW_HEIGHT));
        }}
      >
        <div role="rowgroup" id="hl-body" class="hl-body" style={{ height: `${sites.length * ROW_HEIGHT}px` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
