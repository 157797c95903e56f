import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";

/** The narrowest phone the layout is held to. */
export const PHONE_WIDTH = 375;

/** Serious and critical axe violations on the page as it is now, one line each, naming the elements. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => {
      const where = violation.nodes.slice(0, 3).map((node) => node.target.join(" "));
      return `${violation.id} (${violation.impact}): ${violation.help} at ${where.join(", ")}`;
    });
}

/** The same check in the light and the dark colour scheme, since both are the system's to choose. */
export async function seriousAxeViolationsInBothSchemes(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await seriousAxeViolations(page)).map((line) => `${colorScheme}: ${line}`));
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** How far the page scrolls sideways at `width` px, and the widest elements that make it, if it does. */
export async function horizontalOverflow(page: Page, width = PHONE_WIDTH): Promise<string | null> {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width, height: 800 });
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    const excess = root.scrollWidth - root.clientWidth;
    if (excess <= 0) return null;
    const culprits = [...document.body.querySelectorAll<HTMLElement>("*")]
      .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 1)
      .slice(-3)
      .map((element) => `${element.tagName.toLowerCase()}${element.className ? `.${element.className}` : ""}`);
    return `${excess}px too wide (${culprits.join(", ")})`;
  });
  if (viewport) await page.setViewportSize(viewport);
  return overflow;
}

/** What a page needs besides its content: a title and a description. */
export async function missingPageMeta(page: Page): Promise<string[]> {
  const missing: string[] = [];
  if (!(await page.title()).trim()) missing.push("no <title>");
  // Read at once: a locator would wait for a missing tag until the test times out, instead of saying it is missing.
  const description = await page.evaluate(
    () => document.querySelector('meta[name="description"]')?.getAttribute("content") ?? null,
  );
  if (!description?.trim()) missing.push('no <meta name="description">');
  return missing;
}

/** One entry per page of the app, whatever its ids: /orders/3f…e1 and /orders/9a…07 are one page. */
export function pageKind(url: URL): string {
  const path = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id");
  const params = [...new Set(url.searchParams.keys())].sort();
  return params.length > 0 ? `${path}?${params.join("&")}` : path;
}

// Once per page kind in a run: the journeys visit the same pages over and over.
const checked = new Set<string>();

/** How many of these pages no test has checked yet. */
export function uncheckedPageCount(visited: URL[]): number {
  return new Set(visited.map(pageKind).filter((kind) => !checked.has(kind))).size;
}

/**
 * Opens each page a journey visited again, once per page kind, as the same user and then (if that redirects, e.g.
 * /signup once signed in) as a visitor, and checks it: axe in both colour schemes, no sideways scroll at
 * 375 px, a title and a description. Returns what is wrong, page by page.
 */
export async function checkVisitedPages(visited: URL[], page: Page, browser: Browser): Promise<string[]> {
  const problems: string[] = [];
  let visitor: Page | undefined;
  for (const url of visited) {
    const kind = pageKind(url);
    if (checked.has(kind)) continue;
    checked.add(kind);
    let probe = await page.context().newPage();
    await probe.goto(url.href);
    if (pageKind(new URL(probe.url())) !== kind) {
      await probe.close();
      visitor ??= await (await browser.newContext()).newPage();
      probe = visitor;
      await probe.goto(url.href);
      if (pageKind(new URL(probe.url())) !== kind) continue;
    }
    const found = [
      ...(await missingPageMeta(probe)),
      ...(await seriousAxeViolationsInBothSchemes(probe)),
      ...[await horizontalOverflow(probe)].filter((overflow) => overflow !== null).map((o) => `at 375 px: ${o}`),
    ];
    problems.push(...found.map((problem) => `${kind}: ${problem}`));
    if (probe !== visitor) await probe.close();
  }
  await visitor?.context().close();
  return problems;
}
