/**
 * Why a report is grey (`Report.greyReason`): stored in English in the report (data); the UI
 * shows it in its own language (lib/i18n/ui.ts `greyReasonText`).
 */
export const GREY_REASONS = {
  notRead: 'the page content could not be read (yet)',
  docsUnreadable: 'the imprint or privacy notice could not be read',
  /** A known platform, but no account page we can read: a login wall, an error page, a post, or markup we do not know. */
  profileUnreadable: 'the platform showed no account page we can read (login wall, error page or unknown layout)',
} as const;
