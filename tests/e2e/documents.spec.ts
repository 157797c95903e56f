import { randomBytes } from "node:crypto";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { brokenEncodingPdf, scannedPdf } from "../fixtures/pdfs/make-pdfs";
import { expect, test } from "./support/test";
import { signUp } from "./support/journeys";
import { seriousAxeViolationsInBothSchemes } from "./support/page-checks";
import type { Page } from "@playwright/test";

async function pdfWithPages(pages: string[], attachmentBytes = 0): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages)
    pdf.addPage([612, 792]).drawText(text, { x: 40, y: 700, size: 12, font, maxWidth: 520, lineHeight: 16 });
  // Random bytes do not compress: the file is as large as asked, and still a valid PDF.
  if (attachmentBytes)
    await pdf.attach(randomBytes(attachmentBytes), "data.bin", { mimeType: "application/octet-stream" });
  return Buffer.from(await pdf.save());
}

async function upload(page: Page, name: string, buffer: Uint8Array) {
  await page.goto("/documents");
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name, mimeType: "application/pdf", buffer: Buffer.from(buffer) });
  await page.getByRole("button", { name: "Upload" }).click();
  const title = name.replace(/\.pdf$/, "");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
  await expect(row.getByTestId("document-status")).toHaveText("ready", { timeout: 90_000 });
  return row;
}

async function search(page: Page, query: string) {
  await page.goto("/documents");
  await page.getByRole("searchbox").fill(query);
  await page.getByRole("button", { name: "Search" }).click();
  return page.locator(".results li").first();
}

test("a PDF over 6 MB goes straight to Storage with a progress bar, becomes ready, and has its own page", async ({
  page,
}) => {
  await signUp(page);
  await page.goto("/documents");
  await expect(page.getByText("No documents yet.")).toBeVisible();
  const pdf = await pdfWithPages(
    [
      "Chapter one is about migrating birds that fly south across the sea every autumn.",
      "Chapter two explains how lighthouse keepers trimmed the lamp wick during winter storms.",
    ],
    6_500_000,
  );
  expect(pdf.length).toBeGreaterThan(6 * 1024 * 1024);
  // Hold the upload to Storage a moment, to see the progress bar while it is under way.
  let uploadedBytes = 0;
  await page.route(/\/storage\/v1\/object\/upload\/sign\/documents\//, async (route) => {
    uploadedBytes = route.request().postDataBuffer()?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "Coast guide.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Coast guide" })).toBeVisible();
  await expect(page.getByTestId("document-status")).toHaveText("ready", { timeout: 60_000 });
  expect(uploadedBytes).toBeGreaterThan(pdf.length);

  const first = await search(page, "who looked after the lighthouse lamp in storms?");
  await expect(first).toContainText("Coast guide");
  await expect(first).toContainText("page 2");
  await expect(first.locator("mark").first()).toBeVisible();

  await first.getByRole("link").click();
  await expect(page).toHaveURL(/\/documents\/[0-9a-f-]{36}#page-2$/);
  await expect(page.getByRole("heading", { name: "Coast guide" })).toBeVisible();
  await expect(page.getByTestId("document-progress")).toHaveText("Ready");
  await expect(page.getByTestId("document-page")).toHaveCount(2);
  await expect(page.getByTestId("document-page").nth(1)).toContainText("lighthouse keepers");

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download PDF" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("Coast guide.pdf");

  await page.getByRole("searchbox").fill("migrating birds");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator(".results li").first()).toContainText("page 1");
});

test("a scanned PDF and one with a broken font encoding are read with OCR, marked, and found", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page);
  await upload(page, "Returns scan.pdf", await scannedPdf(3));
  await upload(page, "Shipping broken font.pdf", await brokenEncodingPdf(2));

  await page.getByRole("link", { name: "Shipping broken font" }).click();
  const shippingPage = page.getByTestId("document-page").first();
  await expect(shippingPage).toContainText("read with OCR");
  await expect(shippingPage).toContainText("recycled paper padding");

  const returns = await search(page, "refund within thirty days");
  await expect(returns).toContainText("Returns scan");
  const shipping = await search(page, "recycled paper padding");
  await expect(shipping).toContainText("Shipping broken font");
  await expect(shipping).toContainText("page 1");
});

test("a keyword and a French search put the right page first", async ({ page }) => {
  await signUp(page);
  await upload(
    page,
    "160F-2019.pdf",
    await pdfWithPages([
      "Déclaration des revenus. Remplissez ce formulaire avant le 31 mai et joignez les justificatifs.",
      "Classe d'impôt : indiquez la classe d'impôt figurant sur votre fiche de retenue. Situation de famille.",
    ]),
  );
  await upload(
    page,
    "Compiler notes.pdf",
    await pdfWithPages([
      "An introduction to just-in-time compilers and the interpreters they replace.",
      "Tail duplication copies the tail of a block into its predecessors; the code cache keeps compiled traces.",
      "Register allocation by linear scan is fast enough for a baseline compiler.",
    ]),
  );

  const keyword = await search(page, "tail duplication code cache");
  await expect(keyword).toContainText("Compiler notes · page 2");
  const french = await search(page, "classe d'impot");
  await expect(french).toContainText("160F-2019 · page 2");
  await expect(french.locator("mark", { hasText: /impôt/i }).first()).toBeVisible();
});

test("another user gets 404 on a document's URL", async ({ page, browser }) => {
  await signUp(page);
  await upload(page, "Private notes.pdf", await pdfWithPages(["Only the owner may read this page."]));
  await page.getByRole("link", { name: "Private notes" }).click();
  // The link navigates in the page: wait for the document's own URL before passing it on.
  await expect(page).toHaveURL(/\/documents\/[0-9a-f-]{36}$/);
  const documentUrl = page.url();

  const other = await browser.newContext();
  const stranger = await other.newPage();
  await signUp(stranger);
  const response = await stranger.goto(documentUrl);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByText("Private notes")).toHaveCount(0);
  await other.close();
});

test("deleting a document asks first, in a dialog that Escape cancels, then says it is gone", async ({ page }) => {
  await signUp(page);
  await page.goto("/documents");
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "Old notes.pdf", mimeType: "application/pdf", buffer: await pdfWithPages(["Old notes."]) });
  await page.getByRole("button", { name: "Upload" }).click();
  // Two words are kept as the page's text, after OCR has had a look for more.
  await expect(page.getByTestId("document-status")).toHaveText("ready", { timeout: 60_000 });

  const deleteButton = page.getByRole("button", { name: "Delete “Old notes”" });
  await deleteButton.click();
  const dialog = page.getByRole("dialog", { name: "Delete “Old notes”?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  expect(await seriousAxeViolationsInBothSchemes(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await expect(page.getByRole("cell", { name: "Old notes", exact: true })).toBeVisible();

  await deleteButton.click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText("“Old notes” is deleted.");
  await expect(page.getByText("No documents yet.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("No documents yet.")).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("");
});

test("a file that is not a PDF is refused with a reason", async ({ page }) => {
  await signUp(page);
  await page.goto("/documents");
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.from("not really a pdf") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert")).toHaveText("The file is not a PDF.");
  await expect(page.getByText("No documents yet.")).toBeVisible();
});

test("a search longer than the box allows, e.g. from a pasted link, says how long it may be", async ({ page }) => {
  await signUp(page);
  await page.goto(`/documents?q=${"tide ".repeat(300)}`);
  await expect(page.getByRole("alert")).toHaveText("Search with at most 1,000 characters; this search has 1,499.");
  await expect(page.getByRole("searchbox")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("No documents yet.")).toBeVisible();
});
