/**
 * The extension never answers a consent banner: only the audit CLI does, in a fresh profile that
 * belongs to nobody (scripts/audit-consent.ts). This pins that down where it could slip — the
 * configuration the extension hands the library, the messages its code could send the library,
 * and what the extension's code imports.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTION_ONLY_CONFIG, DETECTION_SNIPPETS } from '@/lib/page/consent';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every source file the extension build can contain: entrypoints, components and lib (not the CLI's parts). */
function extensionSources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name)) out.push({ file: path.relative(ROOT, p), text: readFileSync(p, 'utf8') });
    }
  };
  for (const dir of ['entrypoints', 'components', 'lib']) walk(path.join(ROOT, dir));
  return out;
}

/** The files the extension's entrypoints import, transitively (relative and @/ imports). */
function importedByEntrypoints(): Set<string> {
  const sources = new Map(extensionSources().map((s) => [s.file, s.text]));
  const seen = new Set<string>();
  const resolve = (from: string, spec: string): string | null => {
    const base = spec.startsWith('@/')
      ? path.join(ROOT, spec.slice(2))
      : spec.startsWith('.')
        ? path.resolve(ROOT, path.dirname(from), spec)
        : null;
    if (!base) return null;
    for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
      const rel = path.relative(ROOT, c);
      if (sources.has(rel)) return rel;
    }
    return null;
  };
  const queue = [...sources.keys()].filter((f) => f.startsWith('entrypoints/'));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of sources
      .get(file)!
      .matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const target = resolve(file, m[1] ?? m[2]!);
      if (target) queue.push(target);
    }
  }
  return seen;
}

describe('the extension stays detection-only', () => {
  it('hands the library a configuration that never acts on a banner', () => {
    expect(DETECTION_ONLY_CONFIG).toMatchObject({
      autoAction: null,
      enablePrehide: false,
      enableHeuristicDetection: false,
      heuristicMode: 'off',
      visualTest: false,
    });
    for (const id of DETECTION_SNIPPETS)
      expect(id, 'only detection snippets may run in the page').not.toMatch(
        /OPT_?(OUT|IN)|ACCEPT|REJECT|WITHDRAW|DENY|_3$|_4$/,
      );
  });

  it('no code the extension can contain tells the library to opt out, opt in or self-test', () => {
    const offenders = extensionSources()
      .filter((s) => !s.file.startsWith('lib/cli/'))
      .filter((s) => /type:\s*['"](optOut|optIn|selfTest)['"]|autoAction:\s*['"]opt(Out|In)['"]/.test(s.text))
      .map((s) => s.file);
    expect(offenders).toEqual([]);
  });

  it("the entrypoints never reach the CLI's answering code or autoconsent's Playwright bundle", () => {
    const reached = [...importedByEntrypoints()];
    expect(reached.length).toBeGreaterThan(20); // the walk itself works
    expect(reached).toContain('lib/page/consent.ts');
    expect(reached.filter((f) => f.startsWith('lib/cli/') || f.startsWith('scripts/'))).toEqual([]);
    for (const f of reached)
      expect(readFileSync(path.join(ROOT, f), 'utf8'), f).not.toContain('autoconsent.playwright');
  });
});
