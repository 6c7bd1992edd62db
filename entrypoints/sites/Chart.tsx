/**
 * Third-party requests over time as a small inline SVG (no chart library). The x axis is time
 * (evenly spread when all visits share one moment), the y axis starts at 0. For screen readers
 * the figure has a text summary, and each point a <title>.
 */
import type { Lang } from '@/lib/i18n/ui';
import type { SeriesPoint } from '@/lib/history/diff';
import { fill, formatDateTime, historyMessages } from '@/lib/i18n/history';

const W = 640;
const H = 140;
const PAD = { left: 36, right: 12, top: 12, bottom: 24 };

export function RequestChart({ series, lang }: { series: SeriesPoint[]; lang: Lang }) {
  const t = historyMessages[lang];
  if (!series.length) return null;
  const values = series.map((p) => p.thirdPartyRequests);
  const times = series.map((p) => Date.parse(p.at));
  const max = Math.max(...values);
  const min = Math.min(...values);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) =>
    series.length === 1
      ? PAD.left + innerW / 2
      : t1 > t0
        ? PAD.left + ((times[i]! - t0) / (t1 - t0)) * innerW
        : PAD.left + (i / (series.length - 1)) * innerW;
  const y = (v: number) => PAD.top + innerH - (max > 0 ? (v / max) * innerH : 0);
  const points = series.map((p, i) => `${x(i).toFixed(1)},${y(p.thirdPartyRequests).toFixed(1)}`).join(' ');
  const summary =
    series.length === 1
      ? fill(t.chartOnePoint, { n: values[0]! }, lang)
      : fill(t.chartSummary, { n: series.length, last: values[values.length - 1]!, max, min }, lang);
  return (
    <figure class="chart" data-testid="chart">
      <figcaption id="chart-title">{t.chartTitle}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title"
        aria-describedby="chart-summary"
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{t.chartTitle}</title>
        <line x1={PAD.left} y1={PAD.top + innerH} x2={W - PAD.right} y2={PAD.top + innerH} class="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + innerH} class="axis" />
        <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end" class="tick">
          {max}
        </text>
        <text x={PAD.left - 4} y={PAD.top + innerH} text-anchor="end" class="tick">
          0
        </text>
        <text x={PAD.left} y={H - 6} class="tick">
          {formatDateTime(t0, lang)}
        </text>
        {t1 > t0 ? (
          <text x={W - PAD.right} y={H - 6} text-anchor="end" class="tick">
            {formatDateTime(t1, lang)}
          </text>
        ) : null}
        {series.length > 1 ? <polyline points={points} class="line" /> : null}
        {series.map((p, i) => (
          <circle
            key={`${p.at}-${i}`}
            cx={x(i)}
            cy={y(p.thirdPartyRequests)}
            r="3.5"
            class="dot"
            data-value={p.thirdPartyRequests}
          >
            <title>{`${formatDateTime(times[i]!, lang)}: ${p.thirdPartyRequests}`}</title>
          </circle>
        ))}
      </svg>
      <p class="muted chart-summary" id="chart-summary" data-testid="chart-summary">
        {summary}
      </p>
    </figure>
  );
}
