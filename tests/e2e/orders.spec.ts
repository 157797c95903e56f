import { LOCAL_PORTS } from "../../contracts/local-defaults";
import { expect, test } from "./support/test";
import { buy, MAILBOX_URL, saveCard, signUp } from "./support/journeys";

test("an order charged to the card saved through Checkout walks to shipped without a reload", async ({ page }) => {
  await signUp(page);
  await expect(page.getByRole("form", { name: "Buy Brass Pen" }).getByRole("button")).toBeDisabled();
  await saveCard(page);
  await expect(page.getByRole("status")).toHaveText("Your visa card ending 4242 is saved. Orders are charged to it.");
  await buy(page, "Brass Pen");
  await expect(page.getByRole("status")).toHaveText("Thank you! Your order is placed.");
  await expect(page.locator("h1 .status")).toHaveText("shipped", { timeout: 30_000 });
  // The page re-polls as the order moves; the message stays until the user goes elsewhere, then it is gone.
  await expect(page.getByRole("status")).toHaveText("Thank you! Your order is placed.");
  for (const step of ["Order placed", "Inventory checked", "Payment validated", "Card charged", "Shipped"]) {
    await expect(page.getByRole("listitem").filter({ hasText: step })).toBeVisible();
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("");
  await page.goBack();
  await expect(page.locator("h1 .status")).toHaveText("shipped");
  await expect(page.getByRole("status")).toHaveText("");
});

test("buying an out-of-stock product ends backordered, uncharged; the executor's dashboard shows the event it sent", async ({
  page,
}) => {
  await signUp(page);
  await saveCard(page);
  await buy(page, "Mechanical Keyboard");
  const orderId = page.url().split("/").pop()!;
  await expect(page.locator("h1 .status")).toHaveText("backordered", { timeout: 30_000 });
  await expect(page.getByText("Mechanical Keyboard: 0 of 1 in stock").first()).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Card charged" })).toHaveCount(0);

  // From the workflow's run in the executor's dashboard, by keyboard, to the event its step.sendEvent sent.
  await page.goto(`http://127.0.0.1:${LOCAL_PORTS.inngest}/?function=stepwise-process-order&q=${orderId}`);
  await page
    .locator("#run-rows")
    .getByRole("link", { name: /^[0-9A-Z]{26}$/ })
    .focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: /stepwise-process-order · Completed/ })).toBeVisible();
  const sent = page.getByText(/^Sent event [0-9A-Z]{26}$/);
  const eventId = (await sent.getByRole("link").textContent())!;
  await sent.getByRole("link").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/events#event-${eventId}$`));
  const row = page.locator(`#event-${eventId}`);
  await expect(row.getByRole("link", { name: "order/backordered" })).toBeVisible();
  await row.getByText("Payload of order/backordered").focus();
  await page.keyboard.press("Enter");
  await expect(row.locator("pre").filter({ hasText: orderId })).toBeVisible();
});

test("a saved card that is declined when charged ends payment declined", async ({ page }) => {
  await signUp(page);
  // Stripe's 4000 0000 0000 0341 saves, then every charge to it is declined.
  await saveCard(page, "4000 0000 0000 0341");
  await buy(page, "Field Notebook");
  await expect(page.locator("h1 .status")).toHaveText("payment failed", { timeout: 30_000 });
  await expect(page.getByText("Your card was declined.").first()).toBeVisible();
});

test("an order whose bank asks the customer to confirm waits for them, then ships once they do", async ({ page }) => {
  const email = await signUp(page);
  // Stripe's 4000 0027 6000 3184: the bank asks for authentication on every payment, off-session ones too.
  await saveCard(page, "4000 0027 6000 3184", { bankAsks: true });
  await buy(page, "Brass Pen");
  await expect(page.locator("h1 .status")).toHaveText("requires authentication", { timeout: 30_000 });
  await expect(page.getByText("Your bank asks you to confirm this payment")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Card charged" })).toHaveClass(/pending/);

  // The email's link brings the customer back to confirm.
  await expect(async () => {
    await page.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
    await expect(page.getByRole("heading", { name: /Please confirm your payment/ })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const link = page.frameLocator("iframe[title='HTML body']").getByRole("link", { name: "Confirm your payment" });
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^http:\/\/localhost:3000\/orders\/[0-9a-f-]{36}\/pay$/);
  await page.goto(href);

  // A failed authentication charges nothing and the order keeps waiting; the second attempt goes through.
  await page.getByRole("button", { name: "Confirm with your bank" }).click();
  await page.getByRole("button", { name: "Fail authentication" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Your bank did not confirm the payment, so nothing was charged. You can try again.",
  );
  await page.getByRole("button", { name: "Confirm with your bank" }).click();
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await expect(page).toHaveURL(href.replace(/\/pay$/, ""));
  await expect(page.getByRole("status")).toHaveText("Payment confirmed. Your order is on its way.");
  await expect(page.locator("h1 .status")).toHaveText("shipped", { timeout: 30_000 });
  await expect(page.getByRole("listitem").filter({ hasText: "Card charged" })).toBeVisible();
});
