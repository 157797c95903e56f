/** The first link in a mail's HTML, with the `&amp;` its template escaping put in its query decoded. */
export function emailLinkIn(html: string): string {
  const href = /href="([^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`No link in the mail: ${html.slice(0, 200)}`);
  return href.replace(/&amp;/g, "&").replace(/&#34;/g, '"').replace(/&#39;/g, "'");
}
