import { createRequire } from "node:module";
import { createWorker, OEM } from "tesseract.js";
import { renderPageAsImage } from "unpdf";
import type { PDFDocumentProxy } from "unpdf/pdfjs";
import { withoutControlCharacters } from "./extract-pdf-text.server";
import type { SearchLanguage } from "./page-language";

const require = createRequire(import.meta.url);

// Tesseract's language data comes from npm packages, so OCR never downloads anything at run time.
const TESSERACT_LANGUAGES = { english: "eng", french: "fra" } as const;

// 2x is 144 dpi for a Letter page: enough for body text, and twice as quick to read as 3x.
const RENDER_SCALE = 2;

export interface OcrResult {
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  confidence: number;
}

/** Renders one page to an image and reads its text with Tesseract in the given language. */
export async function ocrPage(
  document: PDFDocumentProxy,
  pageNumber: number,
  language: SearchLanguage,
): Promise<OcrResult> {
  const image = await renderPageAsImage(document, pageNumber, {
    canvasImport: () => import("@napi-rs/canvas"),
    scale: RENDER_SCALE,
  });
  const code = TESSERACT_LANGUAGES[language === "french" ? "french" : "english"];
  const { langPath } = require(`@tesseract.js-data/${code}`) as { langPath: string };
  const worker = await createWorker(code, OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: "none" });
  try {
    const { data } = await worker.recognize(Buffer.from(image));
    return { text: withoutControlCharacters(data.text).trim(), confidence: data.confidence };
  } finally {
    await worker.terminate();
  }
}
