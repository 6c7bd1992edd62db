/**
 * One export = one set of files built from one input at one moment, so that every hash one file
 * names matches the file next to it (lib/export/bundle.ts: hashes in one direction):
 *
 *  1. attachments — the screenshot (JPEG as the popup and the CLI take it), the HAR, the CSV
 *     tables — and the SHA-256 of each, and of the imprint and privacy texts;
 *  2. the complaint model with those hashes in its annexes, rendered to Markdown and HTML (and by
 *     the caller to PDF, from `printHtml`, which shows the screenshot in place);
 *  3. the evidence bundle, listing the hashes of all of them.
 *
 * The extension's export panel and the audit CLI both build their files here; the panel shows the
 * total size (upload forms of German authorities take about 1.5 MB in all: `UPLOAD_LIMIT_BYTES`).
 */
import { sha256Hex } from '../history/sha256';
import { type BundleFile, type EvidenceBundle, buildEvidenceBundle, dataUrlBytes, textSnapshot } from './bundle';
import { buildComplaint } from './complaint/build';
import type { Attachment, Complaint, ComplaintInput } from './complaint/model';
import { cookiesCsv, requestsCsv } from './csv';
import { type Har, harText } from './har';
import { renderComplaintHtml } from './html';
import { renderComplaintMarkdown } from './markdown';

/** A file of the export with its bytes; the bundle itself is the one file no other file lists. */
export interface ExportFile extends Omit<BundleFile, 'kind' | 'role'> {
  kind: BundleFile['kind'] | 'bundle';
  role: BundleFile['role'] | 'bundle';
  data: Uint8Array;
}

export interface PackageInput extends ComplaintInput {
  /** Every file name starts with it: `<base>.summary.md`, `<base>.har`, … */
  baseName: string;
  /** The HAR to attach (lib/export/har.ts), if any. */
  har?: Har | null;
  /** Attach the third-party and cookie tables as CSV. */
  csv?: boolean;
}

export interface PreparedExport {
  complaint: Complaint;
  /** Screenshot, HAR, CSVs: as many as the input asked for. */
  attachments: ExportFile[];
  /** Markdown and HTML summaries. */
  summaries: ExportFile[];
  /** The HTML summary with the screenshot shown in place: the print view and the PDF. */
  printHtml: string;
  /** The complaint input with the attachments' hashes (what the summaries were built from). */
  input: ComplaintInput;
}

export interface FinishedExport {
  bundle: EvidenceBundle;
  /** Every file, the bundle last. */
  files: ExportFile[];
  totalBytes: number;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function file(
  name: string,
  role: ExportFile['role'],
  kind: ExportFile['kind'],
  mediaType: string,
  data: Uint8Array,
  extra: { takenAt?: string; rows?: number } = {},
): Promise<ExportFile> {
  return { name, role, kind, mediaType, bytes: data.byteLength, sha256: await sha256Hex(data), data, ...extra };
}

function screenshotFile(
  baseName: string,
  screenshot: ComplaintInput['screenshot'],
): { name: string; mediaType: string; data: Uint8Array; takenAt: string } | null {
  if (!screenshot || typeof screenshot.dataUrl !== 'string' || screenshot.dataUrl.length > 20_000_000) return null;
  const decoded = dataUrlBytes(screenshot.dataUrl);
  if (!decoded || !/^image\/(jpeg|png)$/.test(decoded.mediaType)) return null;
  const ext = decoded.mediaType === 'image/png' ? 'png' : 'jpg';
  return {
    name: `${baseName}.screenshot.${ext}`,
    mediaType: decoded.mediaType,
    data: decoded.bytes,
    takenAt: typeof screenshot.takenAt === 'string' ? screenshot.takenAt : '',
  };
}

/** Steps 1 and 2: attachments with their hashes, then the summaries that list them. */
export async function prepareExport(input: PackageInput): Promise<PreparedExport> {
  const { baseName, har, csv, ...complaintInput } = input;
  const lang = complaintInput.lang === 'en' ? 'en' : 'de';
  const attachments: ExportFile[] = [];
  const shot = screenshotFile(baseName, complaintInput.screenshot);
  if (shot)
    attachments.push(
      await file(shot.name, 'attachment', 'screenshot', shot.mediaType, shot.data, { takenAt: shot.takenAt }),
    );
  if (har)
    attachments.push(
      await file(`${baseName}.har`, 'attachment', 'har', 'application/json', utf8(harText(har)), {
        rows: har.log.entries.length,
      }),
    );
  if (csv) {
    const requests = requestsCsv(complaintInput.reports, lang);
    const cookies = cookiesCsv(complaintInput.reports, lang);
    attachments.push(
      await file(
        `${baseName}.requests.csv`,
        'attachment',
        'requests-csv',
        'text/csv;charset=utf-8',
        utf8(requests.text),
        { rows: requests.rows },
      ),
    );
    attachments.push(
      await file(`${baseName}.cookies.csv`, 'attachment', 'cookies-csv', 'text/csv;charset=utf-8', utf8(cookies.text), {
        rows: cookies.rows,
      }),
    );
  }
  const [imprint, privacy] = await Promise.all([
    textSnapshot(complaintInput.imprintText),
    textSnapshot(complaintInput.privacyText),
  ]);
  const listed: Attachment[] = attachments.map(({ kind, name, mediaType, bytes, sha256, takenAt, rows }) => ({
    kind: kind as Attachment['kind'],
    name,
    mediaType,
    bytes,
    sha256,
    ...(takenAt !== undefined ? { takenAt } : {}),
    ...(rows !== undefined ? { rows } : {}),
  }));
  const withHashes: ComplaintInput = {
    ...complaintInput,
    attachments: listed,
    textHashes: { ...(imprint ? { imprint: imprint.sha256 } : {}), ...(privacy ? { privacy: privacy.sha256 } : {}) },
  };
  const complaint = buildComplaint(withHashes);
  const html = renderComplaintHtml(complaint);
  const images: Record<string, string> = shot ? { [shot.name]: complaintInput.screenshot!.dataUrl } : {};
  const summaries = [
    await file(
      `${baseName}.summary.md`,
      'summary',
      'summary-md',
      'text/markdown;charset=utf-8',
      utf8(renderComplaintMarkdown(complaint)),
    ),
    await file(`${baseName}.summary.html`, 'summary', 'summary-html', 'text/html;charset=utf-8', utf8(html)),
  ];
  return {
    complaint,
    attachments,
    summaries,
    printHtml: renderComplaintHtml(complaint, { images }),
    input: withHashes,
  };
}

/** Step 3: the bundle over everything, with summaries the caller rendered itself (the PDF). */
export async function finishExport(
  prepared: PreparedExport,
  extra: { name: string; kind: 'summary-pdf'; mediaType: string; data: Uint8Array }[] = [],
): Promise<FinishedExport> {
  const more = await Promise.all(extra.map((e) => file(e.name, 'summary', e.kind, e.mediaType, e.data)));
  const listed = [...prepared.summaries, ...more, ...prepared.attachments];
  // The bundle lists the files without their bytes.
  const bundle = await buildEvidenceBundle(
    prepared.input,
    listed.map(({ data: _data, ...meta }) => meta as BundleFile),
  );
  const baseName = prepared.summaries[0]!.name.replace(/\.summary\.md$/, '');
  const files = [
    ...listed,
    await file(
      `${baseName}.bundle.json`,
      'bundle',
      'bundle',
      'application/json',
      utf8(`${JSON.stringify(bundle, null, 2)}\n`),
    ),
  ];
  return { bundle, files, totalBytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}
