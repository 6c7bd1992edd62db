/** One shipped data source, as listed in public/data/sources.json and shown on the About page. */
export interface DataSource {
  id: string;
  package: string;
  version: string;
  licence: string;
  attribution: string;
  /** Path of the derived asset inside the extension, or null when compiled into the code. */
  file: string | null;
}

export function isDataSourceList(value: unknown): value is DataSource[] {
  return (
    Array.isArray(value) &&
    value.every(
      (s) =>
        s !== null &&
        typeof s === 'object' &&
        ['id', 'package', 'version', 'licence', 'attribution'].every(
          (k) => typeof (s as Record<string, unknown>)[k] === 'string',
        ),
    )
  );
}
