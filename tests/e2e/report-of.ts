/**
 * The report of a tab as the popup gets it (`get-visit`), validated against docs/report-schema.json;
 * and the German complaint built from one such report, as the export panel builds it.
 */
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type { Browser } from 'wxt/browser';
import type { buildComplaint as BuildComplaint } from '@/lib/export/complaint/build';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../report-schema';
import { expect } from './fixtures';

declare const chrome: typeof Browser;

export async function reportOf(extensionPage: Page, tabId: number): Promise<Report> {
  const response = (await extensionPage.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
    tabId,
  )) as { report: Report | null };
  if (!response.report) throw new Error('no report');
  expect(reportSchemaErrors(response.report)).toEqual([]);
  return response.report;
}

/** The complaint (German) from this one report, dated at its analysis; lib is loaded through tsx (the specs run untranspiled). */
export async function complaintOf(report: Report, site: string): Promise<ReturnType<typeof BuildComplaint>> {
  const { buildComplaint } = (await tsImport('../../lib/export/complaint/build.ts', import.meta.url)) as {
    buildComplaint: typeof BuildComplaint;
  };
  return buildComplaint({
    site,
    reports: [report],
    lang: 'de',
    toolVersion: report.tool.version,
    now: report.analysedAt,
  });
}
