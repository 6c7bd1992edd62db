/**
 * `npm run eval [-- SECTION …] [options]`: the evaluations, each printed as a table. Sections:
 *   corpus       the team's own labelled imprint/privacy texts (scripts/eval-analysers.ts)
 *   legal        real published imprints and privacy notices (tests/fixtures/legal-corpus), both
 *                splits, and the labellers' agreement (scripts/eval-legal.ts; --tuning-only while tuning)
 *   recognition  platform, page kind, authority and verdict on pages nobody tuned on, both splits
 *                (scripts/eval-recognition.ts; needs Chromium, builds the extension when stale)
 * No section = all. Evaluations report; they never fail a build (the unit tests hold the floors).
 */
import { evaluateCorpus, formatReport } from './eval-analysers';
import { runRecognitionEval } from './eval-recognition';
import { runLegalEval } from './eval-legal';

const SECTIONS = {
  corpus: async () => {
    process.stdout.write(`\n== corpus: the team's own texts\n${formatReport(evaluateCorpus())}\n`);
    return 0;
  },
  legal: async (argv: readonly string[]) => {
    process.stdout.write('\n== legal: real published texts nobody on the team wrote\n');
    return runLegalEval(argv);
  },
  recognition: async (argv: readonly string[]) => {
    process.stdout.write('\n== recognition: pages nobody tuned on\n');
    return runRecognitionEval(argv);
  },
} satisfies Record<string, (argv: readonly string[]) => Promise<number>>;

type Section = keyof typeof SECTIONS;
const isSection = (s: string): s is Section => Object.hasOwn(SECTIONS, s);

async function main(argv: string[]): Promise<number> {
  const named = argv.filter((a) => !a.startsWith('-'));
  const unknown = named.filter((a) => !isSection(a));
  if (unknown.length) {
    process.stderr.write(
      `eval: unknown section ${unknown.join(', ')} (sections: ${Object.keys(SECTIONS).join(', ')})\n`,
    );
    return 64;
  }
  const options = argv.filter((a) => a.startsWith('-'));
  let code = 0;
  for (const section of named.length ? (named as Section[]) : (Object.keys(SECTIONS) as Section[]))
    code = Math.max(code, await SECTIONS[section](options));
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
