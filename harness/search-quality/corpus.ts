import { readFileSync } from "node:fs";
import path from "node:path";
import type { SearchLanguage } from "../../app/documents/page-language";
import { CORPUS_SOURCES } from "./sources";

/** One PDF of the evaluation as Stepwise read it (see read-corpus.ts): its pages' text and how it was obtained. */
export interface CorpusDocument {
  title: string;
  source: { repository: string; commit: string; path: string; sha256: string };
  language: SearchLanguage;
  pages: Array<{ page: number; textSource: "text" | "ocr" | "unreadable"; text: string }>;
}

export function readCorpus(): CorpusDocument[] {
  return CORPUS_SOURCES.map(
    (source) =>
      JSON.parse(
        readFileSync(path.resolve(import.meta.dirname, "corpus", `${source.title}.json`), "utf8"),
      ) as CorpusDocument,
  );
}
