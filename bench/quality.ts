import { randomUUID } from "node:crypto";
import { startTestStack } from "../harness/test-stack";
import { readCorpus } from "../harness/search-quality/corpus";
import { evaluateSearch, indexCorpus, RANKINGS, scoresOf, type Ranking } from "../harness/search-quality/evaluate";
import { LABELS, QUERY_KINDS } from "../harness/search-quality/labels";

// Search quality on real PDFs (harness/search-quality): the labelled queries searched by meaning alone, by
// words alone and by both fused, through the app's searchDocuments on the local stack. Embeddings come from
// whatever OPENAI_BASE_URL serves: locally, the OpenAI emulator's hashed word and trigram features, which
// match words, not meaning; point it at OpenAI to measure text-embedding-3-small.
// Prints quality_<ranking>_<kind>_<top1|mrr10|recall5>=… and the same as a table.

const print = console.log.bind(console);
const stack = await startTestStack();
const [user] = await stack.stack.sql<{ id: string }[]>`
  insert into auth.users (email, raw_user_meta_data) values (${`quality-${randomUUID().slice(0, 8)}@example.com`}, ${stack.stack.sql.json({ full_name: "Quality" })})
  returning id`;
const corpus = readCorpus();
const documentIds = await indexCorpus(user!.id, corpus);
const outcomes = await evaluateSearch({ sub: user!.id, role: "authenticated" }, LABELS, documentIds);

const rankings = Object.keys(RANKINGS) as Ranking[];
const key = (name: string) => name.replace(/-/g, "_");
print(`quality_documents=${corpus.length}`);
print(`quality_pages=${corpus.reduce((sum, d) => sum + d.pages.length, 0)}`);
print(`quality_queries=${LABELS.length}`);
const rows: string[] = [];
for (const kind of [...QUERY_KINDS, undefined]) {
  const cells: string[] = [];
  for (const ranking of rankings) {
    const scores = scoresOf(outcomes, ranking, kind);
    const prefix = `quality_${key(ranking)}_${key(kind ?? "all")}`;
    print(`${prefix}_top1=${scores.top1.toFixed(3)}`);
    print(`${prefix}_mrr10=${scores.mrr10.toFixed(3)}`);
    print(`${prefix}_recall5=${scores.recall5.toFixed(3)}`);
    cells.push(`${scores.top1.toFixed(2)} / ${scores.mrr10.toFixed(2)} / ${scores.recall5.toFixed(2)}`);
  }
  rows.push(`| ${kind ?? "all"} (${scoresOf(outcomes, "hybrid", kind).queries}) | ${cells.join(" | ")} |`);
}
print(
  `\ntop-1 / MRR@10 / recall@5\n| kind (queries) | ${rankings.join(" | ")} |\n|---|---|---|---|\n${rows.join("\n")}`,
);
// What hybrid search does not put first, to read when the figures move.
for (const miss of outcomes.filter((o) => o.ranking === "hybrid" && o.rank !== 1))
  print(
    `hybrid miss: [${miss.label.kind}] ${miss.label.query} → ${miss.label.document} p${miss.label.pages.join(",")}: rank ${miss.rank ?? "none"}`,
  );

await stack.stop();
