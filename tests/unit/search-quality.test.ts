import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { readCorpus } from "../../harness/search-quality/corpus";
import { evaluateSearch, indexCorpus, scoresOf } from "../../harness/search-quality/evaluate";
import { LABELS, QUERY_KINDS } from "../../harness/search-quality/labels";
import { startForFile } from "../support/start-for-file";

// The search-quality evaluation of `npm run bench` (bench/quality.ts), with its two rankings that matter here:
// hybrid search must keep beating search by meaning alone. A hand-picked subset could be picked to pass, so it
// is every query; full-text-only, the third ranking of the benchmark, is left out to keep the test short. The
// labels themselves are checked against the pages.

const normalise = (text: string) => text.replace(/\s+/g, " ").toLowerCase();

describe("search quality on real PDFs", () => {
  const stack = startForFile(() => startTestStack());
  const corpus = readCorpus();

  it("has at least 40 labelled queries of each of the four kinds, over at least four documents", () => {
    expect(LABELS.length).toBeGreaterThanOrEqual(40);
    for (const kind of QUERY_KINDS) expect(LABELS.filter((label) => label.kind === kind).length).toBeGreaterThan(5);
    expect(new Set(LABELS.map((label) => label.document)).size).toBeGreaterThanOrEqual(4);
  });

  it("labels only pages that hold the label's evidence", () => {
    const wrong = LABELS.flatMap((label) => {
      const document = corpus.find((d) => d.title === label.document);
      return label.pages
        .filter((page) => {
          const text = document?.pages.find((p) => p.page === page)?.text ?? "";
          return !normalise(text).includes(normalise(label.evidence));
        })
        .map((page) => `${label.document} p${page}: "${label.evidence}" (for "${label.query}")`);
    });
    expect(wrong).toEqual([]);
  });

  it("ranks the right page better with hybrid search than with vector search alone", { timeout: 120_000 }, async () => {
    const [user] = await stack.stack.sql<{ id: string }[]>`
      insert into auth.users (email, raw_user_meta_data) values (${`quality-${randomUUID().slice(0, 8)}@example.com`}, ${stack.stack.sql.json({ full_name: "Quality" })})
      returning id`;
    const documentIds = await indexCorpus(user!.id, corpus);
    const outcomes = await evaluateSearch({ sub: user!.id, role: "authenticated" }, LABELS, documentIds, [
      "hybrid",
      "vector-only",
    ]);
    const hybrid = scoresOf(outcomes, "hybrid");
    const vector = scoresOf(outcomes, "vector-only");
    expect(hybrid.mrr10).toBeGreaterThan(vector.mrr10);
    expect(hybrid.top1).toBeGreaterThanOrEqual(vector.top1);
    expect(hybrid.recall5).toBeGreaterThanOrEqual(vector.recall5);
  });
});
