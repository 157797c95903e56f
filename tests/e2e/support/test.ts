import { test as base, expect } from "@playwright/test";
import { checkVisitedPages, uncheckedPageCount } from "./page-checks";
import { waitForFunctions } from "./wait-for-functions";

// A 4xx answer is a deliberate one (a form error, a 404 page) that the test asserts on screen; Chromium still
// logs it as a failed resource load. Anything else logged as an error means a user saw something broken.
const DELIBERATE_CLIENT_ERROR = /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * The Playwright `test` every journey uses. It fails a test when one of the app's pages logs a console error or
 * throws, and when a page the journey visited has a serious or critical axe violation (light or dark), scrolls
 * sideways at 375 px, or lacks a title or description. Pages of the local tools (mailbox, Stripe checkout) are
 * not the app and are not held to it.
 */
export const test = base.extend<{ pageErrors: string[]; pageChecks: void }, { functionsRegistered: void }>({
  functionsRegistered: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      await waitForFunctions();
      await use();
    },
    { auto: true, scope: "worker" },
  ],
  pageErrors: [
    async ({ page, baseURL }, use) => {
      const errors: string[] = [];
      const onApp = () => page.url().startsWith(String(baseURL));
      page.on("console", (message) => {
        if (message.type() === "error" && onApp() && !DELIBERATE_CLIENT_ERROR.test(message.text()))
          errors.push(`console.error: ${message.text()}`);
      });
      page.on("pageerror", (error) => {
        if (onApp()) errors.push(`uncaught: ${error.message}`);
      });
      await use(errors);
      expect(errors, "the page logged errors").toEqual([]);
    },
    { auto: true },
  ],
  pageChecks: [
    async ({ page, browser, baseURL }, use, testInfo) => {
      const visited: URL[] = [];
      page.on("framenavigated", (frame) => {
        if (frame === page.mainFrame() && frame.url().startsWith(String(baseURL))) visited.push(new URL(frame.url()));
      });
      await use();
      // A failed journey has already said what is wrong; checking its pages would only add noise and time.
      if (testInfo.status !== testInfo.expectedStatus) return;
      // The checks get time of their own, so a slow journey does not leave too little for them.
      testInfo.setTimeout(testInfo.timeout + 20_000 * uncheckedPageCount(visited));
      expect(await checkVisitedPages(visited, page, browser), "pages the journey visited").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
