import { PDFDocument, StandardFonts } from "pdf-lib";
import { expect, test } from "./support/test";
import { signUp } from "./support/journeys";
import { seriousAxeViolationsInBothSchemes } from "./support/page-checks";

async function pdfWithPages(pages: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages)
    pdf.addPage([612, 792]).drawText(text, { x: 40, y: 700, size: 12, font, maxWidth: 520, lineHeight: 16 });
  return Buffer.from(await pdf.save());
}

test("an uploaded PDF becomes ready and a search finds its passage", async ({ page }) => {
  await signUp(page);
  await page.goto("/documents");
  await expect(page.getByText("No documents yet.")).toBeVisible();
  const pdf = await pdfWithPages([
    "Chapter one is about migrating birds that fly south across the sea every autumn.",
    "Chapter two explains how lighthouse keepers trimmed the lamp wick during winter storms.",
  ]);
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "Coast guide.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("cell", { name: "Coast guide", exact: true })).toBeVisible();
  await expect(page.getByTestId("document-status")).toHaveText("ready", { timeout: 30_000 });

  await page.getByRole("searchbox").fill("who looked after the lighthouse lamp in storms?");
  await page.getByRole("button", { name: "Search" }).click();
  const first = page.locator(".results li").first();
  await expect(first).toContainText("Coast guide");
  await expect(first).toContainText("page 2");
  await expect(first.locator("mark").first()).toBeVisible();
});

test("deleting a document asks first, in a dialog that Escape cancels, then says it is gone", async ({ page }) => {
  await signUp(page);
  await page.goto("/documents");
  await page
    .getByLabel(/Drop a PDF here/)
    .setInputFiles({ name: "Old notes.pdf", mimeType: "application/pdf", buffer: await pdfWithPages(["Old notes."]) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("document-status")).toHaveText("ready", { timeout: 30_000 });

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
