/**
 * The report of a tab as the popup gets it (`get-visit`), validated against docs/report-schema.json.
 */
import type { Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
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
