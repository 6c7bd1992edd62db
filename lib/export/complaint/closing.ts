/**
 * The closing of the complaint: the user's own statements in a separate labelled block
 * (certainty 'user-reported', 7), the request (Art. 58(2), 77(2) GDPR, 8), the annexes (9) and the
 * disclaimer (rules.json `meta.disclaimer_*`: no legal advice).
 */
import {
  type Attachment,
  type Block,
  type Lang,
  MAX_STATEMENT,
  type Section,
  type TextItem,
  formatBytes,
  isoOrEmpty,
  num,
  obj,
  str,
} from './model';
import type { Texts } from './texts';

/** 7. What the user reports themselves: the ticked observations as a list, then the free text paragraph by paragraph. */
export function userReportedSection(t: Texts, userStatement: unknown, observations: readonly string[] = []): Section {
  const statement = str(userStatement, MAX_STATEMENT).trim();
  const paragraphs = statement
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 30);
  const blocks: Block[] = [];
  if (observations.length) blocks.push({ kind: 'list', items: observations.map((text) => ({ text })) });
  blocks.push(...paragraphs.map((text) => ({ kind: 'paragraph' as const, text })));
  return {
    id: 'user-reported',
    heading: t.userReported,
    blocks: blocks.length
      ? [{ kind: 'paragraph', text: t.userReportedIntro, tone: 'note' }, ...blocks]
      : [{ kind: 'paragraph', text: t.noStatement }],
  };
}

/** 8. The request to the authority. */
export function requestSection(t: Texts): Section {
  return {
    id: 'request',
    heading: t.request,
    blocks: t.requestText.map((text) => ({ kind: 'paragraph' as const, text })),
  };
}

/**
 * 9. The annexes: the evidence bundle, the legal texts, and every attached file (screenshot, HAR,
 * CSV tables) with the full SHA-256 of its bytes, so that the summary alone binds to them; the
 * screenshot is also shown in place where the renderer is given its bytes (print view, PDF).
 */
export function annexesSection(
  t: Texts,
  lang: Lang,
  texts: { imprint: string | null; privacy: string | null; hashes: { imprint?: string; privacy?: string } },
  attachments: Attachment[],
): Section {
  const annexes: TextItem[] = [{ text: t.annexBundle }];
  const hash = (h: unknown) => (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h) ? h : null);
  if (texts.imprint) annexes.push({ text: t.annexImprint(texts.imprint.length, hash(texts.hashes.imprint)) });
  if (texts.privacy) annexes.push({ text: t.annexPrivacy(texts.privacy.length, hash(texts.hashes.privacy)) });
  const blocks: Block[] = [];
  for (const raw of attachments.slice(0, 20)) {
    const a = obj(raw);
    const sha = hash(a.sha256);
    const name = str(a.name, 200);
    if (!sha || !name) continue;
    const size = formatBytes(num(a.bytes), lang);
    const rows = num(a.rows);
    if (a.kind === 'screenshot') {
      const at = isoOrEmpty(a.takenAt);
      annexes.push({ text: t.annexScreenshot(name, at || t.none, size, sha) });
      blocks.push({
        kind: 'image',
        alt: t.screenshotAlt,
        file: name,
        caption: t.screenshotCaption(name, at || t.none),
      });
    } else if (a.kind === 'har') annexes.push({ text: t.annexHar(name, rows, size, sha) });
    else if (a.kind === 'requests-csv') annexes.push({ text: t.annexRequestsCsv(name, rows, size, sha) });
    else if (a.kind === 'cookies-csv') annexes.push({ text: t.annexCookiesCsv(name, rows, size, sha) });
  }
  annexes.push({ text: t.annexSummary });
  return { id: 'annexes', heading: t.annexes, blocks: [{ kind: 'list', ordered: true, items: annexes }, ...blocks] };
}

/** The disclaimer (rules.json meta.disclaimer_de/en; complaint.anti_abuse). */
export function disclaimerSection(t: Texts): Section {
  return {
    id: 'disclaimer',
    heading: t.disclaimer,
    blocks: [{ kind: 'paragraph', text: t.disclaimerText, tone: 'warning' }],
  };
}
