import { readFile } from "node:fs/promises";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack } from "../../harness/test-stack";
import { brokenEncodingPdf, manyPagesPdf, scannedPdf } from "../fixtures/pdfs/make-pdfs";
import { createUser } from "../support/rows";
import { startForFile } from "../support/start-for-file";

const stack = startForFile(startTestStack);

const PAGE_TOPICS = [
  "The quarterly budget review covers office rent, salaries and travel expenses for the finance team.",
  "Volcanic eruptions release magma, ash and sulfur dioxide; geologists monitor seismic tremors near the crater.",
  "Sourdough bread needs a lively starter, long fermentation and a very hot oven with steam for a crisp crust.",
];

/** A PDF with one topic per page, repeated into paragraphs so each page spans several chunks' worth of text. */
async function makePdf(pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const topic of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 760;
    for (let paragraph = 0; paragraph < 12 && y > 40; paragraph++) {
      for (const line of wrap(`${paragraph + 1}. ${topic}`, 90)) {
        page.drawText(line, { x: 40, y, size: 10, font });
        y -= 14;
      }
      y -= 10;
    }
  }
  return pdf.save();
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if ((line + " " + word).trim().length > width) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  return [...lines, line];
}

async function upload(fileName: string, bytes: Uint8Array) {
  const user = await createUser(stack.stack.sql);
  const { signJwt } = await import("../../local/emulators/supabase/jwt");
  const [session] = await stack.stack.sql<
    { id: string }[]
  >`insert into auth.sessions (user_id) values (${user.id}) returning id`;
  const token = signJwt(
    {
      sub: user.id,
      role: "authenticated",
      aud: "authenticated",
      session_id: session!.id,
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
    stack.stack.env.SUPABASE_JWT_SECRET!,
  );
  const { uploadDocument } = await import("../../app/documents/upload-document.server");
  const result = await uploadDocument(user.claims, token, { fileName, bytes });
  await stack.inngest.waitUntilIdle();
  return { user, result };
}

async function documentRow(documentId: string) {
  const [row] = await stack.stack.sql<
    {
      status: string;
      error: string | null;
      page_count: number | null;
      chunk_count: number | null;
      storage_path: string;
      language: string;
      unreadable_pages: number[];
    }[]
  >`
    select status, error, page_count, chunk_count, storage_path, language, unreadable_pages from documents where id = ${documentId}`;
  return row!;
}

async function pagesOf(documentId: string) {
  return stack.stack.sql<{ page_number: number; text_source: string; content: string }[]>`
    select page_number, text_source, content from document_pages where document_id = ${documentId} order by page_number`;
}

async function ownerOf(documentId: string) {
  const [row] = await stack.stack.sql<{ user_id: string }[]>`select user_id from documents where id = ${documentId}`;
  return { claims: { sub: row!.user_id, role: "authenticated" } };
}

describe("process-document", () => {
  it("turns a multi-page PDF into ≤500-token chunks with embeddings, and search finds the right page first", async () => {
    const { user, result } = await upload("Field notes.pdf", await makePdf(PAGE_TOPICS));
    const documentId = (result as { documentId: string }).documentId;
    const document = await documentRow(documentId);
    expect(document).toMatchObject({ status: "ready", error: null, page_count: 3 });
    const chunks = await stack.stack.sql<
      { page_number: number; token_count: number; has_embedding: boolean; content: string }[]
    >`
      select page_number, token_count, embedding is not null as has_embedding, content from document_chunks where document_id = ${documentId} order by chunk_index`;
    expect(chunks.length).toBe(document.chunk_count);
    expect(chunks.every((c) => c.token_count <= 500 && c.has_embedding)).toBe(true);
    expect([...new Set(chunks.map((c) => c.page_number))]).toEqual([1, 2, 3]);
    expect(chunks.map((c) => c.page_number)).toEqual([...chunks.map((c) => c.page_number)].sort());
    const [drafts] = await stack.stack
      .sql`select count(*)::int as n from document_chunk_drafts where document_id = ${documentId}`;
    expect(drafts!.n).toBe(0);

    const { searchDocuments } = await import("../../app/documents/search-documents.server");
    const results = await searchDocuments(user.claims, "what do geologists watch near a volcano crater?");
    expect(results[0]).toMatchObject({ documentId, title: "Field notes", page: 2 });
    expect(results[0]!.snippet).toContain("geologists");

    const stranger = await createUser(stack.stack.sql);
    expect(await searchDocuments(stranger.claims, "volcano crater")).toEqual([]);
  });

  it("indexes a PDF made by real typesetting software and finds a passage on its second page", async () => {
    const bytes = await readFile(path.resolve(import.meta.dirname, "../fixtures/pdfs/handbook.pdf"));
    const { user, result } = await upload("Field handbook.pdf", new Uint8Array(bytes));
    const documentId = (result as { documentId: string }).documentId;
    expect(await documentRow(documentId)).toMatchObject({ status: "ready", page_count: 3 });
    const text = (
      await stack.stack.sql<
        { content: string }[]
      >`select content from document_chunks where document_id = ${documentId} order by chunk_index`
    )
      .map((c) => c.content)
      .join(" ");
    for (const phrase of [
      "count every carton against the delivery note",
      "recycled paper padding",
      "within thirty days",
    ]) {
      expect(text.replace(/\s+/g, " ")).toContain(phrase);
    }
    const { searchDocuments } = await import("../../app/documents/search-documents.server");
    const [best] = await searchDocuments(user.claims, "how should parcels be packed and labelled for the courier?");
    expect(best).toMatchObject({ documentId, page: 2 });
  });

  it("uses batched embedding requests, never one per chunk", async () => {
    const before = stack.stack.emulators.openai.requestCount();
    const { result } = await upload(
      "Budget.pdf",
      await makePdf([PAGE_TOPICS[0]!, PAGE_TOPICS[0]!, PAGE_TOPICS[0]!, PAGE_TOPICS[0]!]),
    );
    const document = await documentRow((result as { documentId: string }).documentId);
    expect(document.chunk_count).toBeGreaterThan(1);
    expect(stack.stack.emulators.openai.requestCount() - before).toBe(1);
  });

  it("refuses a non-PDF and an empty file at upload", async () => {
    const fake = await upload("notes.pdf", new TextEncoder().encode("just some text pretending"));
    expect(fake.result).toEqual({ error: "The file is not a PDF." });
    const empty = await upload("empty.pdf", new Uint8Array());
    expect(empty.result).toEqual({ error: "The file is empty." });
  });

  it(
    "reads a broken-encoding page and a scanned page with OCR, marks them, and finds their words",
    { timeout: 120_000 },
    async () => {
      const broken = await upload("Shipping (broken font).pdf", await brokenEncodingPdf(2));
      const brokenId = (broken.result as { documentId: string }).documentId;
      expect(await documentRow(brokenId)).toMatchObject({ status: "ready", page_count: 1, unreadable_pages: [] });
      const [brokenPage] = await pagesOf(brokenId);
      expect(brokenPage).toMatchObject({ page_number: 1, text_source: "ocr" });
      expect(brokenPage!.content).toContain("recycled paper padding");
      expect(brokenPage!.content).not.toMatch(/[\u2500-\u25ff]/);
      const { searchDocuments } = await import("../../app/documents/search-documents.server");
      expect((await searchDocuments(broken.user.claims, "recycled paper padding"))[0]).toMatchObject({
        documentId: brokenId,
        page: 1,
      });

      const scan = await upload("Returns (scan).pdf", await scannedPdf(3));
      const scanId = (scan.result as { documentId: string }).documentId;
      expect(await documentRow(scanId)).toMatchObject({ status: "ready", page_count: 1, language: "english" });
      const [scanPage] = await pagesOf(scanId);
      expect(scanPage).toMatchObject({ text_source: "ocr" });
      expect(scanPage!.content).toContain("within thirty days");
    },
  );

  it("fails a PDF that no page of can be read, naming the pages, and keeps no file", { timeout: 120_000 }, async () => {
    allowConsoleErrors(/Inngest (step|function) error|could be read/);
    const blank = await PDFDocument.create();
    blank.addPage();
    const { result } = await upload("blank.pdf", await blank.save());
    const row = await documentRow((result as { documentId: string }).documentId);
    expect(row).toMatchObject({
      status: "failed",
      error:
        "No page of this PDF could be read, even with OCR (page 1). Upload a copy with selectable text or a sharper scan.",
    });
    const [object] = await stack.stack
      .sql`select count(*)::int as n from storage.objects where name = ${row.storage_path}`;
    expect(object!.n).toBe(0);
  });

  it("fails a PDF over the page limit before reading any page", async () => {
    allowConsoleErrors(/Inngest (step|function) error|at most 500/);
    const { result } = await upload("Ledger.pdf", await manyPagesPdf(501));
    const documentId = (result as { documentId: string }).documentId;
    expect(await documentRow(documentId)).toMatchObject({
      status: "failed",
      error: "The PDF has 501 pages; documents may have at most 500. Split it and upload the parts.",
    });
    const [run] = await stack.inngest.listRuns({ function: "stepwise-process-document" });
    expect(run?.status).toBe("Failed");
  });

  it(
    "reads a 500-page PDF in bounded steps: pages in batches of 50, embeddings in slices",
    { timeout: 120_000 },
    async () => {
      const { result } = await upload("Ledger.pdf", await manyPagesPdf(500));
      const documentId = (result as { documentId: string }).documentId;
      expect(await documentRow(documentId)).toMatchObject({ status: "ready", page_count: 500, chunk_count: 500 });
      const run = (await stack.inngest.listRuns({ function: "stepwise-process-document" })).find(
        (r) => r.event?.data.documentId === documentId,
      );
      const steps = (await stack.inngest.getRun(run!.run_id)).steps.map((s) => s.display_name ?? s.name);
      expect(steps.filter((s) => s?.startsWith("extract-pages-"))).toHaveLength(10);
      expect(steps).toContain("extract-pages-451-500");
      expect(steps).toContain("embed-chunks-0-500");
      const { searchDocuments } = await import("../../app/documents/search-documents.server");
      const [best] = await searchDocuments((await ownerOf(documentId)).claims, "shelf 437");
      expect(best).toMatchObject({ documentId, page: 437 });
    },
  );
});
