import { expect, test } from "./support/test";
import { buy, signUp } from "./support/journeys";

test("one user cannot see another user's orders or documents", async ({ browser }) => {
  const alice = await browser.newPage();
  await signUp(alice, "Alice");
  await buy(alice, "Brass Pen");
  const aliceOrderUrl = alice.url();

  const bob = await (await browser.newContext()).newPage();
  await signUp(bob, "Bob");
  const response = await bob.goto(aliceOrderUrl);
  expect(response?.status()).toBe(404);
  await expect(bob.getByText("We could not find that order.")).toBeVisible();
  await bob.goto("/orders");
  await expect(bob.getByText("No orders yet.")).toBeVisible();
});
