import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { embedText } from "../local/emulators/openai/deterministic-embedder";
import { startTestDatabase } from "../harness/test-database";
import { percentile } from "./percentile";
import { seededRandom } from "./seeded-random";

// Search over N chunks (the first argument; 10,000 by default), through the SQL functions the app calls, in a
// transaction as the signed-in user so row level security applies:
// - search_<n>_p50_ms / _p95_ms: hybrid_search_document_chunks (full text and vectors fused), 200 queries by
//   the user who owns most chunks; search_<n>_vector_p50_ms / _p95_ms: its vector half alone;
// - search_<n>_recall_at_10: how many of the exact 10 nearest (the caller's rows, every distance computed and
//   sorted, with index scans off) the vector half returns. HNSW applies the user filter after it has found
//   candidates, so the same is measured for a user who owns only 5% of the chunks (_recall_at_10_small_user).
// Texts are generated from topics with their own vocabularies and embedded by the OpenAI emulator's
// deterministic embedder, so vectors cluster by topic as real embeddings do.

const CHUNKS = Number(process.argv[2] ?? 10_000);
const SIZE = CHUNKS >= 1000 ? `${CHUNKS / 1000}k` : String(CHUNKS);
const SMALL_USER_CHUNKS = CHUNKS / 20;
const CHUNKS_PER_DOCUMENT = 250;
const QUERIES = 200;
const MATCH_COUNT = 10;

const print = console.log.bind(console);
const random = seededRandom(7);
const vocabulary = Array.from({ length: 3_000 }, () => pseudoWord(random));
const topics = Array.from({ length: 60 }, () => Array.from({ length: 80 }, () => pick(vocabulary)));

const database = await startTestDatabase();
// The app's other settings take their local defaults, as under `npm run dev`; only the database is this one.
Object.assign(process.env, { STEPWISE_LOCAL_STACK: "1", DATABASE_URL: database.url });
const admin = postgres(database.url, { prepare: false, max: 1, onnotice: () => {} }); // superuser, to load data
const { withUser, closeDatabase } = await import("../app/db.server");
const { toVectorLiteral } = await import("../app/documents/embed-texts.server");

// Loading rows into the HNSW and GIN indexes one insert at a time takes minutes on the embedded database, so the
// indexes (as the migrations define them) are dropped for the load and built again afterwards.
const loadStarted = performance.now();
const indexes = await admin<{ name: string; definition: string }[]>`
  select indexname as name, indexdef as definition from pg_indexes
  where schemaname = 'public' and indexname in ('document_chunks_embedding_idx', 'document_chunks_fts_idx')`;
if (indexes.length !== 2) throw new Error("document_chunks no longer has the indexes this benchmark rebuilds");
for (const index of indexes) await admin.unsafe(`drop index public.${index.name}`);
const users = { main: await createUser(), small: await createUser() };
await loadChunks(users.main, CHUNKS - SMALL_USER_CHUNKS);
await loadChunks(users.small, SMALL_USER_CHUNKS);
const loadSeconds = (performance.now() - loadStarted) / 1000;
const indexStarted = performance.now();
await admin.begin(async (tx) => {
  await tx`set local maintenance_work_mem = '512MB'`; // build the graph in memory
  for (const index of indexes) await tx.unsafe(index.definition);
});
const indexSeconds = (performance.now() - indexStarted) / 1000;
await admin`analyze document_chunks`;

const queries = Array.from({ length: QUERIES }, () => {
  const text = passage(3 + Math.floor(random() * 6));
  return { text, vector: toVectorLiteral(embedText(text)) };
});
type Query = (typeof queries)[number];
const claimsOf = (id: string) => ({ sub: id, role: "authenticated" });
type Row = { chunk_id: string };
/** The vector half of hybrid search, as it calls it: no similarity threshold. */
const vectorSearch = (userId: string, query: Query) =>
  withUser(claimsOf(userId), async (tx) => {
    const rows = await tx<
      Row[]
    >`select chunk_id from match_document_chunks(${query.vector}::extensions.vector, -1, ${MATCH_COUNT})`;
    return rows.map((row) => String(row.chunk_id));
  });
/** What a search on the documents page runs, snippets included. */
const hybridSearch = (userId: string, query: Query) =>
  withUser(claimsOf(userId), async (tx) => {
    const rows = await tx<
      Row[]
    >`select chunk_id from hybrid_search_document_chunks(${query.text}, ${query.vector}::extensions.vector, ${MATCH_COUNT})`;
    return rows.map((row) => String(row.chunk_id));
  });
/** The true nearest: the same rows (row security as the same user), every distance computed and sorted. */
const exactSearch = (userId: string, query: Query) =>
  withUser(claimsOf(userId), async (tx) => {
    await tx`set local enable_indexscan = off`;
    const rows = await tx<
      { id: string }[]
    >`select id from document_chunks order by embedding <=> ${query.vector}::extensions.vector limit ${MATCH_COUNT}`;
    return rows.map((row) => String(row.id));
  });

async function latencies(run: (userId: string, query: Query) => Promise<string[]>): Promise<number[]> {
  for (const query of queries.slice(0, 20)) await run(users.main.id, query); // warm the index pages and the JIT
  const samples: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await run(users.main.id, query);
    samples.push(performance.now() - started);
  }
  return samples;
}
const hybridMs = await latencies(hybridSearch);
const vectorMs = await latencies(vectorSearch);
const recall = async (user: keyof typeof users) => {
  const own = new Set(
    (await admin<{ id: string }[]>`select id from document_chunks where user_id = ${users[user].id}`).map((row) =>
      String(row.id),
    ),
  );
  let hits = 0;
  let wanted = 0;
  for (const query of queries) {
    const approximate = new Set(await vectorSearch(users[user].id, query));
    if ([...approximate].some((id) => !own.has(id)))
      throw new Error(`match_document_chunks returned another user's chunk to the ${user} user`);
    const exact = await exactSearch(users[user].id, query);
    wanted += exact.length;
    hits += exact.filter((id) => approximate.has(id)).length;
  }
  return hits / wanted;
};

print(`search_${SIZE}_chunks=${CHUNKS}`);
print(`search_${SIZE}_load_s=${loadSeconds.toFixed(1)}`);
print(`search_${SIZE}_index_build_s=${indexSeconds.toFixed(1)}`);
print(`search_${SIZE}_p50_ms=${percentile(hybridMs, 50).toFixed(2)}`);
print(`search_${SIZE}_p95_ms=${percentile(hybridMs, 95).toFixed(2)}`);
print(`search_${SIZE}_vector_p50_ms=${percentile(vectorMs, 50).toFixed(2)}`);
print(`search_${SIZE}_vector_p95_ms=${percentile(vectorMs, 95).toFixed(2)}`);
print(`search_${SIZE}_recall_at_10=${(await recall("main")).toFixed(3)}`);
print(`search_${SIZE}_recall_at_10_small_user=${(await recall("small")).toFixed(3)}`);

await closeDatabase();
await admin.end();
await database.stop();

async function createUser(): Promise<{ id: string }> {
  const [user] = await admin<{ id: string }[]>`
    insert into auth.users (email, raw_user_meta_data) values (${`search-${randomUUID().slice(0, 8)}@example.com`}, ${admin.json({ full_name: "Search" })})
    returning id`;
  return user!;
}

/** `count` chunks in documents of CHUNKS_PER_DOCUMENT, inserted 250 rows at a time. */
async function loadChunks(user: { id: string }, count: number) {
  for (let first = 0; first < count; first += CHUNKS_PER_DOCUMENT) {
    const documentId = randomUUID();
    await admin`insert into documents (id, user_id, title, storage_path, size_bytes, status, chunk_count)
      values (${documentId}, ${user.id}, ${`Report ${first / CHUNKS_PER_DOCUMENT + 1}`}, ${`${user.id}/${documentId}.pdf`}, 1000, 'ready', ${CHUNKS_PER_DOCUMENT})`;
    const rows = Array.from({ length: Math.min(CHUNKS_PER_DOCUMENT, count - first) }, (_, i) => {
      const content = passage(60);
      return {
        document_id: documentId,
        user_id: user.id,
        chunk_index: i,
        page_number: 1 + Math.floor(i / 3),
        content,
        token_count: 80,
        embedding: toVectorLiteral(embedText(content)),
      };
    });
    // Through the drafts table and into document_chunks with their full-text vectors, as store-vectors does.
    await admin`insert into document_chunk_drafts ${admin(rows.map(({ user_id: _user, ...draft }) => draft))}`;
    await admin`insert into document_chunks (document_id, user_id, chunk_index, page_number, content, token_count, embedding, fts)
      select d.document_id, ${user.id}, d.chunk_index, d.page_number, d.content, d.token_count, d.embedding,
        document_chunk_search_vector('english', ${"Report"}, d.content)
      from document_chunk_drafts d where d.document_id = ${documentId}`;
    await admin`delete from document_chunk_drafts where document_id = ${documentId}`;
  }
}

/** `words` words, most from one topic's vocabulary and some from a second, the rest from anywhere. */
function passage(words: number): string {
  const [main, second] = [pick(topics), pick(topics)];
  return Array.from({ length: words }, () => {
    const roll = random();
    return pick(roll < 0.6 ? main : roll < 0.8 ? second : vocabulary);
  }).join(" ");
}

function pick<T>(list: T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function pseudoWord(next: () => number): string {
  const consonants = "bcdfghklmnprstvz";
  const vowels = "aeiou";
  let word = "";
  for (let i = 0, n = 2 + Math.floor(next() * 3); i < n; i++) {
    word += consonants[Math.floor(next() * consonants.length)]! + vowels[Math.floor(next() * vowels.length)]!;
  }
  return word;
}
