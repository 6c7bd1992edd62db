/**
 * The closing of the complaint: the user's own statements in a separate labelled block
 * (certainty 'user-reported', 7), the request (Art. 58(2), 77(2) GDPR, 8), the annexes (9) and the
 * disclaimer (rules.json `meta.disclaimer_*`: no legal advice).
 */
import { type Block, MAX_STATEMENT, type Section, type TextItem, isoOrEmpty, obj, str } from './model';
import type { Texts } from './texts';

/** 7. What the user reports themselves, paragraph by paragraph. */
export function userReportedSection(t: Texts, userStatement: unknown): Section {
  const statement = str(userStatement, MAX_STATEMENT).trim();
  const paragraphs = statement
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 30);
  return {
    id: 'user-reported',
    heading: t.userReported,
    blocks: paragraphs.length
      ? [{ kind: 'paragraph', text: t.userReportedIntro, tone: 'note' }, ...paragraphs.map((text) => ({ kind: 'paragraph' as const, text }))]
      : [{ kind: 'paragraph', text: t.noStatement }],
  };
}

/** 8. The request to the authority. */
export function requestSection(t: Texts): Section {
  return { id: 'request', heading: t.request, blocks: t.requestText.map((text) => ({ kind: 'paragraph' as const, text })) };
}

/** 9. The annexes: the evidence bundle, the legal texts, the screenshot (shown when it is a plain image data URL). */
export function annexesSection(t: Texts, imprintText: string | null, privacyText: string | null, screenshot: unknown): Section {
  const annexes: TextItem[] = [{ text: t.annexBundle }];
  if (imprintText) annexes.push({ text: t.annexImprint(imprintText.length) });
  if (privacyText) annexes.push({ text: t.annexPrivacy(privacyText.length) });
  const shot = obj(screenshot);
  const shotAt = isoOrEmpty(shot.takenAt);
  const shotUrl = typeof shot.dataUrl === 'string' ? shot.dataUrl : '';
  if (shotUrl) annexes.push({ text: t.annexScreenshot(shotAt || t.none), ...(shotAt ? { at: shotAt } : {}) });
  annexes.push({ text: t.annexSummary });
  const annexBlocks: Block[] = [{ kind: 'list', ordered: true, items: annexes }];
  if (/^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/.test(shotUrl) && shotUrl.length <= 8_000_000)
    annexBlocks.push({ kind: 'image', alt: t.screenshotAlt, dataUrl: shotUrl, caption: t.annexScreenshot(shotAt || t.none) });
  return { id: 'annexes', heading: t.annexes, blocks: annexBlocks };
}

/** The disclaimer (rules.json meta.disclaimer_de/en; complaint.anti_abuse). */
export function disclaimerSection(t: Texts): Section {
  return { id: 'disclaimer', heading: t.disclaimer, blocks: [{ kind: 'paragraph', text: t.disclaimerText, tone: 'warning' }] };
}
