import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startTestStack } from "../test-stack";
import { CORPUS_COMMIT, CORPUS_REPOSITORY, CORPUS_SOURCES } from "./sources";
import type { CorpusDocument } from "./corpus";

// Reads the evaluation's PDFs as Stepwise reads an upload (process-document on the local stack: the text layer,
// OCR where it is garbage) and writes their pages to harness/search-quality/corpus/<title>.json, so the evaluation and
// its test need neither the PDFs nor minutes of OCR. Run it again when the pipeline's reading changes:
//   npx tsx harness/search-quality/read-corpus.ts <a checkout of mozilla/pdf.js at CORPUS_COMMIT>

const checkout = process.argv[2];
if (!checkout) {
  console.error("Usage: npx tsx harness/search-quality/read-corpus.ts <path to a mozilla/pdf.js checkout>");
  process.exit(2);
}
const OUT = path.resolve(import.meta.dirname, "corpus");

const stack = await startTestStack();
const { DOCUMENTS_BUCKET, storageAsService } = await import("../../app/services/storage.server");
const { inngest } = await import("../../app/inngest/client.server");
const { documentUploaded } = await import("../../app/inngest/events.server");
const [user] = await stack.stack.sql<{ id: string }[]>`
  insert into auth.users (email, raw_user_meta_data) values ('corpus@example.com', ${stack.stack.sql.json({ full_name: "Corpus" })})
  returning id`;
const userId = user!.id;

await mkdir(OUT, { recursive: true });
for (const source of CORPUS_SOURCES) {
  const bytes = await readFile(path.join(checkout, source.path));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== source.sha256) throw new Error(`${source.path} is not the file the labels were written for`);
  const documentId = randomUUID();
  const storagePath = `${userId}/${documentId}.pdf`;
  const { error } = await storageAsService()
    .from(DOCUMENTS_BUCKET)
    .upload(storagePath, bytes, { contentType: "application/pdf" });
  if (error) throw new Error(`upload failed: ${error.message}`);
  await stack.stack.sql`insert into documents (id, user_id, title, storage_path, size_bytes)
    values (${documentId}, ${userId}, ${source.title}, ${storagePath}, ${bytes.length})`;
  const started = performance.now();
  await inngest.send(documentUploaded.create({ documentId, userId, storagePath }, { id: `corpus-${documentId}` }));
  await stack.inngest.waitUntilIdle();
  const [document] = await stack.stack.sql<{ status: string; error: string | null; language: string }[]>`
    select status, error, language from documents where id = ${documentId}`;
  if (document?.status !== "ready") throw new Error(`${source.title} did not become ready: ${document?.error}`);
  const pages = await stack.stack.sql<{ page_number: number; text_source: string; content: string }[]>`
    select page_number, text_source, content from document_pages where document_id = ${documentId} order by page_number`;
  const corpus: CorpusDocument = {
    title: source.title,
    source: { repository: CORPUS_REPOSITORY, commit: CORPUS_COMMIT, path: source.path, sha256 },
    language: document.language as CorpusDocument["language"],
    pages: pages.map((page) => ({
      page: page.page_number,
      textSource: page.text_source as CorpusDocument["pages"][number]["textSource"],
      text: page.content,
    })),
  };
  await writeFile(path.join(OUT, `${source.title}.json`), `${JSON.stringify(corpus, null, 2)}\n`);
  const ocr = corpus.pages.filter((page) => page.textSource === "ocr").length;
  console.log(
    `${source.title}: ${pages.length} pages (${ocr} read with OCR), ${document.language}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
await stack.stop();
