/**
 * The head of the complaint: who complains (1), about whom (2), to whom (3).
 */
import type { CompetentAuthority } from '../dpa/competence';
import type { ControllerGuess } from '../dpa/controller';
import type { Dpa } from '../dpa/directory';
import { type Block, type Lang, type Section, type TextItem, type Visit, obj, str } from './model';
import type { Texts } from './texts';

function dpaName(d: Dpa, lang: Lang): string {
  return d.label ? d.label[lang] : d.short && d.short !== d.name ? `${d.name} (${d.short})` : d.name;
}

/** 1. The complainant: the user's own fields, placeholders where empty. */
export function complainantSection(t: Texts, complainant: unknown): Section {
  const cp = obj(complainant);
  const field = (label: string, value: unknown, ph: string) => {
    const v = str(value, 300).trim();
    return v ? { label, value: v } : { label, value: ph, placeholder: true };
  };
  return {
    id: 'complainant',
    heading: t.complainant,
    blocks: [
      {
        kind: 'fields',
        rows: [
          field(t.name, cp.name, t.phName),
          field(t.address, cp.address, t.phAddress),
          field(t.email, cp.email, t.phEmail),
        ],
      },
      { kind: 'paragraph', text: t.confidentiality },
      { kind: 'paragraph', text: t.anonymousNote, tone: 'note' },
    ],
  };
}

/** 2. The controller: name, address, kind (and Jobcenter type), seat, and the pages visited. */
export function controllerSection(
  t: Texts,
  visits: Visit[],
  controller: ControllerGuess,
  controllerName: string,
): Section {
  const offers: TextItem[] = [];
  const seenUrls = new Set<string>();
  for (const v of visits) {
    if (!v.url || seenUrls.has(v.url)) continue;
    seenUrls.add(v.url);
    const handle = str(obj(v.report.page).handle, 100);
    offers.push({ text: handle ? `${v.url} (@${handle})` : v.url, href: v.url });
  }
  const seat = controller.state ? `${controller.country ?? 'DE'}-${controller.state}` : (controller.country ?? t.none);
  const controllerRows: { label: string; value: string; placeholder?: boolean }[] = [
    { label: t.controllerName, value: controllerName },
    controller.address
      ? { label: t.controllerAddress, value: controller.address }
      : { label: t.controllerAddress, value: t.controllerAddressUnknown, placeholder: true },
    { label: t.kind, value: t.kinds[controller.controllerKind] ?? controller.controllerKind },
  ];
  if (controller.controllerKind === 'jobcenter')
    controllerRows.push({
      label: t.jobcenterType,
      value: controller.jobcenterType ? (t.jobcenterTypes[controller.jobcenterType] ?? t.none) : t.kinds.unknown!,
    });
  controllerRows.push({ label: t.seat, value: seat });
  return {
    id: 'controller',
    heading: t.controller,
    blocks: [
      { kind: 'fields', rows: controllerRows },
      ...(offers.length
        ? [
            { kind: 'paragraph' as const, text: `${t.offers}:` },
            { kind: 'list' as const, items: offers },
          ]
        : []),
    ],
  };
}

/** 3. The competent authority, its alternatives and why. */
export function authoritySection(t: Texts, lang: Lang, authority: CompetentAuthority): Section {
  const p = authority.primary;
  const dpaRows: { label: string; value: string; href?: string; placeholder?: boolean }[] = [
    { label: t.dpa, value: dpaName(p, lang), placeholder: p.id === 'ask-user' },
  ];
  if (p.complaintUrl) dpaRows.push({ label: t.form, value: p.complaintUrl, href: p.complaintUrl });
  else if (p.id !== 'ask-user') dpaRows.push({ label: t.form, value: t.noForm });
  if (p.website) dpaRows.push({ label: t.website, value: p.website, href: p.website });
  if (p.email) dpaRows.push({ label: t.dpaEmail, value: p.email, href: `mailto:${p.email}` });
  dpaRows.push({ label: t.hook, value: authority.hook });
  dpaRows.push({
    label: t.certainty,
    value: authority.certainty === 'observed' ? t.certaintyObserved : t.certaintyHeuristic,
  });
  const authorityBlocks: Block[] = [
    { kind: 'fields', rows: dpaRows },
    { kind: 'paragraph', text: `${t.reason}: ${authority.reason[lang]}` },
  ];
  if (authority.alternatives.length) {
    authorityBlocks.push({ kind: 'paragraph', text: `${t.alternatives}:` });
    authorityBlocks.push({
      kind: 'list',
      items: authority.alternatives.map((a) => ({
        text: `${dpaName(a, lang)}${a.complaintUrl ? ` – ${a.complaintUrl}` : ''}`,
        ...(a.complaintUrl || a.website ? { href: (a.complaintUrl ?? a.website)! } : {}),
      })),
    });
  }
  authorityBlocks.push({ kind: 'paragraph', text: t.verify, tone: 'note' });
  return { id: 'authority', heading: t.authority, blocks: authorityBlocks };
}
