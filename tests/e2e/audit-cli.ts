/**
 * Runs the audit CLI (`npx tsx scripts/audit.ts …`) as a user would, for the e2e specs that drive
 * it (audit.spec.ts, audit-consent.spec.ts): its exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** Every made-up host to the fixture server on loopback (ports are kept). */
export const HOST_RULES = 'MAP * 127.0.0.1, EXCLUDE localhost';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function audit(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/audit.ts', ...args], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
