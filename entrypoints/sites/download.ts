/**
 * Downloads through a Blob URL and an `<a download>` click: no `downloads` permission needed.
 * The URL is revoked a little later (revoking at once can cancel the download in some browsers).
 */
export function downloadText(filename: string, text: string, type: string): void {
  downloadBytes(filename, text, type);
}

/** The same for bytes (a JPEG, an export file built as UTF-8). */
export function downloadBytes(filename: string, data: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A file-name-safe form of a site label ("instagram.com/jobcenter" -> "instagram.com_jobcenter"). */
export function fileSafe(label: string): string {
  return (label.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'site').slice(0, 80);
}

/** "2026-03-12" in local time. */
export function dateStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
