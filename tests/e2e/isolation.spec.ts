import { oneLinePdf } from "../fixtures/pdfs/make-pdfs";
import { expect, test } from "./support/test";
import { buy, saveCard, signUp } from "./support/journeys";

test("one user cannot see another user's orders or documents", async ({ browser }) => {
  const alice = await browser.newPage();
  await signUp(alice, "Alice");
  await saveCard(alice);
  await buy(alice, "Brass Pen");
  const aliceOrderUrl = alice.url();
  const pdf = await oneLinePdf("Alice's private notes about tide tables.");
  await alice.goto("/documents");
  await alice
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "Private.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
  await alice.getByRole("button", { name: "Upload" }).click();
  await expect(alice.getByTestId("document-status")).toHaveText("ready", { timeout: 30_000 });
  const aliceDocumentId = await alice.locator("input[name=documentId]").inputValue();

  const bob = await (await browser.newContext()).newPage();
  await signUp(bob, "Bob");
  const response = await bob.goto(aliceOrderUrl);
  expect(response?.status()).toBe(404);
  await expect(bob.getByText("We could not find that order.")).toBeVisible();
  await bob.goto("/orders");
  await expect(bob.getByText("No orders yet.")).toBeVisible();

  await bob.goto("/documents?q=tide+tables");
  await expect(bob.getByText("No documents yet.")).toBeVisible();
  await expect(bob.getByText(/No passages match/)).toBeVisible();
  const deletion = await bob.request.post("/documents", { form: { intent: "delete", documentId: aliceDocumentId } });
  expect(deletion.status()).toBe(404);
  await alice.reload();
  await expect(alice.getByTestId("document-status")).toHaveText("ready");
});
