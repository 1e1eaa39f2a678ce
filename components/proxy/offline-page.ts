/** The page the offline site serves: one self-contained HTML file, no external assets. */
import { DEFAULT_PROXY } from "../../config/defaults";

export interface OfflinePage {
  title: string;
  message: string;
  /** When the site is expected back: an ISO date or date-time, validated by config. */
  until?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Line breaks in the message become <br>, so each line of the page is one line of the file. */
function paragraph(text: string): string {
  return escapeHtml(text)
    .split(/\r\n|\r|\n/)
    .join("<br>");
}

export const DEFAULT_OFFLINE_PAGE: OfflinePage = {
  title: DEFAULT_PROXY.offlineTitle,
  message: DEFAULT_PROXY.offlineMessage,
};

export function renderOfflinePage(page: OfflinePage = DEFAULT_OFFLINE_PAGE): string {
  const title = escapeHtml(page.title).replace(/\s+/g, " ");
  return `${[
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    "<style>",
    "body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #222; }",
    "h1 { font-size: 1.5rem; }",
    "</style>",
    "</head>",
    "<body>",
    `<h1>${title}</h1>`,
    `<p>${paragraph(page.message)}</p>`,
    ...(page.until === undefined
      ? []
      : [
          `<p>Expected back: <time datetime="${escapeHtml(page.until)}">${escapeHtml(page.until)}</time></p>`,
        ]),
    "</body>",
    "</html>",
  ].join("\n")}\n`;
}
