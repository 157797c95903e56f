import { expect, test } from "./support/test";
import { horizontalOverflow, seriousAxeViolations } from "./support/page-checks";
import { signUp } from "./support/journeys";

test("the page checks catch a serious accessibility violation and a page wider than a phone", async ({ page }) => {
  await page.setContent(`<main><img src="/favicon.svg"><input type="text"><div style="width: 600px">wide</div></main>`);
  const violations = await seriousAxeViolations(page);
  expect(violations.some((line) => line.startsWith("image-alt (critical)"))).toBe(true);
  expect(violations.some((line) => line.startsWith("label (critical)"))).toBe(true);
  expect(await horizontalOverflow(page)).toMatch(/^\d+px too wide \(.*div/);
});

test("an unknown address shows a 404 page inside the app's layout, still signed in", async ({ page }) => {
  const email = await signUp(page);
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Stepwise");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(email)).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stepwise" })).toBeVisible();
});

test("the skip link is the first stop for the keyboard and moves focus to the page's content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
});

test("a bar shows while the next page loads, and goes when it has", async ({ page }) => {
  await page.goto("/");
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/login.data*", async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await expect(page.getByRole("progressbar", { name: "Loading" })).toBeVisible();
  release();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("progressbar")).toHaveCount(0);
});

test("the colours follow the system's light or dark setting", async ({ page }) => {
  await page.goto("/");
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  expect(await background()).toBe("rgb(245, 246, 248)");
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await background()).toBe("rgb(22, 24, 29)");
});

test("the app has a web manifest and a robots.txt", async ({ page, request }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await request.get(href!);
  expect(manifest.ok()).toBe(true);
  expect(await manifest.json()).toMatchObject({
    name: "Stepwise",
    start_url: "/",
    display: "standalone",
    icons: [expect.objectContaining({ src: "/favicon.svg" })],
  });
  const robots = await request.get("/robots.txt");
  expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
  expect(await robots.text()).toMatch(/^User-agent: \*$/m);
});
