import { readFile } from "node:fs/promises";
import path from "node:path";
import { ocrPage } from "../app/documents/ocr-page.server";
import { extractPageText, openPdf } from "../app/documents/extract-pdf-text.server";

// OCR as process-document does it for a page whose text layer is garbage or missing: pdf.js renders the page,
// Tesseract (tesseract.js 7, English data from the npm registry) reads the picture. Each page of a three-page
// typeset handbook is read once; its text layer is the floor (what the page costs when it needs no OCR).
// - ocr_s_per_page: mean seconds per page, rendering and a fresh worker included, as in a step;
// - ocr_mean_confidence: Tesseract's mean word confidence over those pages (0–100);
// - ocr_word_recall: share of the text layer's words that OCR read too.

const print = console.log.bind(console);
const HANDBOOK = path.resolve(import.meta.dirname, "../tests/fixtures/pdfs/handbook.pdf");
const pdf = await openPdf(new Uint8Array(await readFile(HANDBOOK)));

await ocrPage(pdf, 1, "english"); // warm-up: loads the WASM and the language data once, as a warm function would

const seconds: number[] = [];
const confidences: number[] = [];
let wanted = 0;
let found = 0;
const words = (text: string) => text.toLowerCase().match(/[a-z]{3,}/g) ?? [];
let textLayerMs = 0;
for (let n = 1; n <= pdf.numPages; n++) {
  const started = performance.now();
  const { text, confidence } = await ocrPage(pdf, n, "english");
  seconds.push((performance.now() - started) / 1000);
  confidences.push(confidence);
  const layerStarted = performance.now();
  const layer = await extractPageText(pdf, n);
  textLayerMs += performance.now() - layerStarted;
  const read = new Set(words(text));
  const expected = words(layer);
  wanted += expected.length;
  found += expected.filter((word) => read.has(word)).length;
}
await pdf.loadingTask.destroy();

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
print(`ocr_pages=${seconds.length}`);
print(`ocr_s_per_page=${mean(seconds).toFixed(2)}`);
print(`ocr_max_s_per_page=${Math.max(...seconds).toFixed(2)}`);
print(`ocr_text_layer_ms_per_page=${(textLayerMs / seconds.length).toFixed(1)}`);
print(`ocr_mean_confidence=${mean(confidences).toFixed(1)}`);
print(`ocr_word_recall=${(found / wanted).toFixed(3)}`);
