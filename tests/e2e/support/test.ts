import { test as base, expect } from "@playwright/test";

// A 4xx answer is a deliberate one (a form error, a 404 page) that the test asserts on screen; Chromium still
// logs it as a failed resource load. Anything else logged as an error means a user saw something broken.
const DELIBERATE_CLIENT_ERROR = /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * The Playwright `test` every journey uses: it fails a test when one of the app's pages logs a console error or
 * throws. Pages of the local tools (mailbox, Stripe checkout) are not the app and are not held to it.
 */
export const test = base.extend<{ pageErrors: string[] }>({
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
});

export { expect };
