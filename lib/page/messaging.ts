/**
 * What a page says about reaching the body, on plain data the content script collects: messenger
 * channels it offers (R-AUTH-05), invitations to send personal matters by direct message
 * (R-AUTH-04) and claims that comments are off "for data protection". Split from
 * lib/page/links.ts, whose candidates and redirector unwrapping it uses.
 *
 * Pure and total: never throws, bounded work (capped text and channel counts).
 */
import rules from '../legal/rules.json';
import { allMatches, compileAny, compileRule, firstMatch, normaliseText, snippet } from '../legal/patterns';
import { type LinkCandidate, MAX_LINK_CANDIDATES, isHttp, parseUrl, unwrapRedirector } from './links';

// ---------------------------------------------------------------------------------------------
// Messenger channels (R-AUTH-05: authority offers WhatsApp; BfDI 14.04.2020, LDI NRW 02.04.2025)

export type MessengerKind = 'whatsapp' | 'telegram' | 'signal' | 'threema';

export interface MessengerChannel {
  kind: MessengerKind;
  /** Normalised URL (https:// added to bare "wa.me/…" mentions; app schemes kept as written). */
  url: string;
  /** 'link': an <a href>; 'text': a URL written in the page/bio text. */
  source: 'link' | 'text';
}

/** Text scanned for messenger URLs and DM invitations. */
const MAX_SCAN_CHARS = 2_000_000;
const MAX_CHANNELS = 50;

/**
 * Web hosts and app schemes of messenger contact links. Superset of services.whatsapp.link_patterns
 * (wa.me, api.whatsapp.com/send, chat.whatsapp.com, web.whatsapp.com, whatsapp.com/channel).
 */
function messengerKind(u: URL): MessengerKind | null {
  const scheme = u.protocol.toLowerCase();
  if (scheme === 'whatsapp:') return 'whatsapp';
  if (scheme === 'tg:') return 'telegram';
  if (scheme === 'sgnl:') return 'signal';
  if (scheme === 'threema:') return 'threema';
  if (!isHttp(u)) return null;
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const path = u.pathname;
  const hasPath = path.length > 1;
  if (host === 'wa.me' || host === 'chat.whatsapp.com') return hasPath ? 'whatsapp' : null;
  if (host === 'api.whatsapp.com' || host === 'web.whatsapp.com')
    return /^\/send/.test(path) || u.searchParams.has('phone') ? 'whatsapp' : null;
  // A WhatsApp channel (whatsapp.com/channel/…) or a Telegram channel preview (t.me/s/…) is a
  // profile the page links, not a contact offer: one of the page's own channels, not a messenger.
  if (host === 't.me' || host === 'telegram.me' || host === 'telegram.dog')
    return hasPath && !/^\/s\//.test(path) ? 'telegram' : null;
  if (host === 'signal.me' || host === 'signal.group') return hasPath || u.hash.length > 1 ? 'signal' : null;
  if (host === 'threema.id') return hasPath ? 'threema' : null;
  return null;
}

/** Messenger URLs written as text ("wa.me/4915…", "https://t.me/jobcenter", "threema.id/ABCD1234"). */
const MESSENGER_IN_TEXT =
  /(?<![A-Za-z0-9\u00C0-\u024F.@/-])(?:(?:https?:\/\/)?(?:www\.)?(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|web\.whatsapp\.com|whatsapp\.com\/channel|t\.me|telegram\.me|telegram\.dog|signal\.me|signal\.group|threema\.id)\/[^\s<>"'`()[\]{}]+|(?:whatsapp|tg|sgnl|threema):\/\/[^\s<>"'`()[\]{}]+)/gi;

/** A link labelled as a channel ("WhatsApp-Kanal", "Telegram channel") is one to follow, not a contact. */
export const CHANNEL_LABEL = /\b(?:Kan(?:a|ä)le?|Channels?|Broadcast)\b|-Kan(?:a|ä)l/iu;

/**
 * Messenger contacts offered on the page: links (after redirector unwrapping) and URLs written in
 * the text (bios often show "wa.me/49…" without a link). Deduplicated, at most 50. Channels to
 * follow (whatsapp.com/channel/…, t.me/s/…, a t.me link labelled as a channel) are not contacts.
 */
export function findMessengerChannels(candidates: readonly LinkCandidate[], text: string): MessengerChannel[] {
  const out: MessengerChannel[] = [];
  const seen = new Set<string>();
  const add = (u: URL | null, source: MessengerChannel['source']): void => {
    if (!u || out.length >= MAX_CHANNELS) return;
    const kind = messengerKind(u);
    if (!kind) return;
    const url = u.href;
    const key = url.toLowerCase().replace(/\/$/, '');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, url, source });
  };
  const list = Array.isArray(candidates) ? candidates : [];
  for (let i = 0; i < Math.min(list.length, MAX_LINK_CANDIDATES); i++) {
    const c = list[i];
    const href = c?.href;
    if (typeof href !== 'string' || href.length === 0 || href.length > 4096) continue;
    if (CHANNEL_LABEL.test(`${c?.text ?? ''} ${c?.ariaLabel ?? ''} ${c?.title ?? ''}`)) continue;
    add(parseUrl(unwrapRedirector(href.trim(), c?.text)), 'link');
  }
  if (typeof text === 'string' && text.length > 0) {
    const scan = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
    MESSENGER_IN_TEXT.lastIndex = 0;
    for (let m = MESSENGER_IN_TEXT.exec(scan); m && out.length < MAX_CHANNELS; m = MESSENGER_IN_TEXT.exec(scan)) {
      const raw = m[0].replace(/[.,;:!?]+$/, '');
      add(parseUrl(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`), 'text');
    }
    MESSENGER_IN_TEXT.lastIndex = 0;
  }
  return out;
}

/** "Schreib uns per WhatsApp", "WhatsApp-Kanal" … (services.whatsapp.text_signals), without a link. */
const WHATSAPP_TEXT = compileAny(rules.services.find((s) => s.id === 'whatsapp')?.text_signals ?? []);

/** Snippets where the text offers WhatsApp as a contact channel (services.whatsapp.text_signals), at most 10. */
export function findWhatsAppMentions(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const t = normaliseText(text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text);
  return [...new Set(allMatches(WHATSAPP_TEXT, t, 10).map((m) => snippet(t, m.index, m.end)))];
}

// ---------------------------------------------------------------------------------------------
// DM invitations (R-AUTH-04: DMs invited, no secure-channel notice; § 35 SGB I, Art. 5(1)(f), 32)

const DM_RULE = compileRule(rules.regex.dm_invite);
/** Wordings missing from regex.dm_invite: "per PN", "direct message", "DMs are open", "inbox us" … */
const DM_EXTRA = compileAny([
  String.raw`\b(?:per|via|als|eine?)\s+(?:PN|DM|Direct\s+Message|private\s+Nachricht)\b`,
  String.raw`\b(?:direct|private)\s+messages?\b`,
  String.raw`\bDMs?\s+(?:are\s+|sind\s+)?(?:open|offen)\b`,
  String.raw`\binbox\s+us\b`,
  String.raw`\bschick(?:t|en\s+Sie)?\s+uns\s+(?:gerne\s+)?(?:eine\s+)?(?:Nachricht|PN|DM)\b`,
]);
/** Generic "write to us" wordings count only when no other channel (mail, letter, form) is named with them. */
const GENERIC_DM = /^(?:schreib|schreiben\s+Sie|message\s+us|send\s+us\s+a\s+message|Fragen)/i;
const OTHER_CHANNEL =
  /E-?Mail|\bMail\b|@|Brief|Post\b|Postweg|Kontaktformular|Formular|Fax|Telefon|anrufen|\bcall\b|\bform\b|\bletter\b/i;
/** "Bitte keine … per Direktnachricht" is the opposite of an invitation (alternative_channels notice). */
const NEGATED = /\b(?:keine?[nrs]?|nicht|niemals|no|not|never|don't|do\s+not)\b[^.!?\n]{0,40}$/i;

/**
 * Snippets (≤ 120 chars, at most 10, deduplicated) in which the page invites people to contact it
 * by direct message (regex.dm_invite + DM_EXTRA). Negated mentions ("keine Sozialdaten per
 * Direktnachricht") and generic "schreiben Sie uns" next to e-mail/letter/form are not counted.
 */
export function findDmInvitations(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const t = normaliseText(text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text);
  const hits = [...allMatches(DM_RULE, t, 200), ...allMatches(DM_EXTRA, t, 200)].sort((a, b) => a.index - b.index);
  const out: string[] = [];
  let lastEnd = -Infinity;
  for (const m of hits) {
    // One invitation often matches twice ("Schreib uns eine Direktnachricht"): report a sentence once.
    if (m.index < lastEnd || (m.index - lastEnd < 200 && !/[.!?\n]/.test(t.slice(lastEnd, m.index)))) continue;
    const before = t.slice(Math.max(0, m.index - 60), m.index);
    if (NEGATED.test(before)) continue;
    if (GENERIC_DM.test(m.text) && OTHER_CHANNEL.test(t.slice(m.index, m.end + 60))) continue;
    lastEnd = m.end;
    const s = snippet(t, m.index, m.end);
    if (!out.includes(s)) out.push(s);
    if (out.length >= 10) break;
  }
  return out;
}

/*
 * rules.json R-AUTH-08 `social.comments_disabled_privacy_claim`: the account says it switched
 * comments off for data-protection reasons. rules.json has no pattern for it, so the claim is read
 * per sentence: a comment word, a data-protection reason and a switched-off word in one sentence
 * (the three come in any order: "Aus Datenschutzgründen ist die Kommentarfunktion deaktiviert",
 * "Kommentare sind aus Datenschutzgründen deaktiviert", "Comments are turned off for privacy
 * reasons"). A sentence that only links the netiquette or the notice has no switched-off word.
 */
const COMMENT_WORD = /\b(?:kommentar\w*|kommentier\w*|comments?|commenting)\b/i;
const PRIVACY_REASON =
  /\b(?:datenschutz\w*|aus\s+gr(?:ü|ue)nden\s+des\s+datenschutzes|zum\s+schutz\s+(?:ihrer|eurer|deiner|der)\s+(?:pers(?:ö|oe)nlichen\s+)?daten|(?:for|due\s+to)\s+(?:data[-\s]protection|privacy)(?:\s+reasons)?|data[-\s]protection\s+reasons|privacy\s+reasons)/i;
const SWITCHED_OFF =
  /\b(?:deaktiviert|abgeschaltet|ausgeschaltet|abgestellt|geschlossen|gesperrt|eingeschr(?:ä|ae)nkt|nicht\s+(?:m(?:ö|oe)glich|freigeschaltet|aktiviert|erlaubt)|verzichten|disabled|turned\s+off|switched\s+off|closed|not\s+(?:possible|available|enabled))\b/i;
// Bios separate their parts with middle dots, bullets and bars as often as with full stops.
const SENTENCE = /[^.!?\n·•|]{1,300}[.!?]?/g;

/** Sentences (≤ 120 chars each, at most 3) in which the page says comments are off for data protection. */
export function findCommentsOffClaims(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const t = normaliseText(text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text);
  const out: string[] = [];
  for (const m of t.matchAll(SENTENCE)) {
    const s = m[0];
    if (!COMMENT_WORD.test(s) || !PRIVACY_REASON.test(s) || !SWITCHED_OFF.test(s)) continue;
    const trimmed = s.trim();
    const claim = trimmed.length > 120 ? `${trimmed.slice(0, 119)}…` : trimmed;
    if (!out.includes(claim)) out.push(claim);
    if (out.length >= 3) break;
  }
  return out;
}
