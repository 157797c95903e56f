import { readFile } from "node:fs/promises";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { SearchSnippet } from "../../app/components/search-snippet";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { call, getRequest, signUpAndSignIn, type SignedInUser } from "./signed-in";

// Whatever a user (or an edited URL) puts in the search box, the documents page answers 200 with results or its
// empty state, never a 500, and the database is as it was. A query longer than the search box allows (1,000
// characters, the input's maxLength, far below the embedding model's 8,191-token input limit) is refused with a
// 400 and a message saying the limit, instead of being searched in part.

const stack = startForFile(startTestStack);
let alice: SignedInUser;
let aliceDocumentId: string;

interface SearchPage {
  documents: Array<{ id: string; status: string }>;
  query: string;
  results: Array<{ documentId: string; title: string; snippet: string }> | null;
  searchError?: string;
}

const documentsRoute = () => import("../../app/routes/documents");

function searchUrl(query: string): string {
  return `${stack.appUrl}/documents?${new URLSearchParams({ q: query })}`;
}

async function search(query: string): Promise<{ status: number; page: SearchPage }> {
  const response = await call((await documentsRoute()).loader, getRequest(searchUrl(query), alice.cookie));
  const text = await response.text();
  if (!response.headers.get("content-type")?.includes("json"))
    return { status: response.status, page: { error: text } as never };
  return { status: response.status, page: JSON.parse(text) as SearchPage };
}

/** Every table the search touches, and how many rows each holds. */
async function tableCounts() {
  const [row] = await stack.stack.sql<{ documents: number; chunks: number; profiles: number; orders: number }[]>`
    select (select count(*)::int from documents) as documents, (select count(*)::int from document_chunks) as chunks,
      (select count(*)::int from profiles) as profiles, (select count(*)::int from orders) as orders`;
  return row!;
}

beforeAll(async () => {
  alice = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  const form = new FormData();
  form.set(
    "file",
    new File([await readFile("tests/fixtures/pdfs/handbook.pdf")], "Field handbook.pdf", { type: "application/pdf" }),
  );
  const upload = await call(
    (await import("../../app/routes/documents.upload")).action,
    new Request(`${stack.appUrl}/documents/upload`, { method: "POST", headers: { cookie: alice.cookie }, body: form }),
  );
  expect(upload.status).toBe(201);
  aliceDocumentId = ((await upload.json()) as { documentId: string }).documentId;
  await stack.inngest.waitUntilIdle();
}, 120_000);

describe("searching documents", () => {
  it("finds the user's passage for an ordinary question (so an empty answer below is a real search)", async () => {
    const { status, page } = await search("how should parcels be packed and labelled for the courier?");
    expect(status).toBe(200);
    expect(page.documents).toEqual([expect.objectContaining({ id: aliceDocumentId, status: "ready" })]);
    expect(page.results?.[0]).toMatchObject({ documentId: aliceDocumentId, title: "Field handbook" });
  });

  const HOSTILE_QUERIES: Array<[label: string, query: string]> = [
    ["a statement that drops a table", "'; drop table documents; --"],
    ["an always-true LIKE clause", "%' or 1=1 --"],
    ["a lone backslash", "\\"],
    ["backslash and quote", "\\'; select pg_sleep(5); --"],
    ["LIKE wildcards only", "%_%"],
    ["a placeholder and a cast", "$1::text) or true --"],
    ["regular expression syntax", "(a+)+$ [ ( ) * \\d"],
    ["HTML", "<script>alert(1)</script> <img src=x onerror=alert(1)>"],
    ["a NUL byte", "carton\u0000count"],
    ["Japanese, emoji, accents and a right-to-left mark", "配送の梱包 📦 Ünïcödé \u202Ecourier"],
    ["combining marks and a zero-width joiner", "cou\u0301rier 👩\u200D💻 e\u0308"],
    ["a lone surrogate", "parcel \uD800 label"],
    ["only whitespace", " \t\n "],
  ];

  it.each(HOSTILE_QUERIES)(
    "answers 200 with results or the empty state, and changes nothing: %s",
    async (_label, query) => {
      const before = await tableCounts();
      const { status, page } = await search(query);
      expect(status, JSON.stringify(page)).toBe(200);
      expect(page.query).toBe(new URL(searchUrl(query)).searchParams.get("q"));
      expect(page.documents.map((d) => d.id)).toEqual([aliceDocumentId]);
      if (query.trim()) expect(Array.isArray(page.results)).toBe(true);
      else expect(page.results).toBeNull();
      for (const result of page.results ?? []) expect(result.documentId).toBe(aliceDocumentId);
      expect(await tableCounts()).toEqual(before);
      const [table] = await stack.stack.sql`select to_regclass('public.documents') as name`;
      expect(table!.name).toBe("documents");
    },
  );

  it("searches a query of exactly 1,000 characters", async () => {
    const query = "parcels ".repeat(125);
    expect(query).toHaveLength(1_000);
    const { status, page } = await search(query);
    expect(status).toBe(200);
    expect(Array.isArray(page.results)).toBe(true);
  });

  it("refuses a 10 KB query with a 400 that names the limit, and still lists the documents", async () => {
    const before = await tableCounts();
    const query = "how should parcels be packed ".repeat(400).slice(0, 10_240);
    const { status, page } = await search(query);
    expect(status).toBe(400);
    expect(page.searchError).toBe("Search with at most 1,000 characters; this search has 10,240.");
    expect(page.results).toBeNull();
    expect(page.query).toBe(query.slice(0, 1_000));
    expect(page.documents.map((d) => d.id)).toEqual([aliceDocumentId]);
    expect(await tableCounts()).toEqual(before);
  });

  it("counts the limit without the spaces around a query", async () => {
    const { status } = await search(`   ${"x".repeat(1_000)}   `);
    expect(status).toBe(200);
  });
});

describe("a search snippet", () => {
  it.each(highlightQueries())(
    "renders the passage whole and escaped, with only the matched words marked: %s",
    (_label, text) => {
      const snippet = `Count every \u0002carton\u0003 against ${text} before the courier leaves.`;
      const html = renderToStaticMarkup(createElement(SearchSnippet, { text: snippet }));
      expect(html).toContain("<mark>carton</mark>");
      expect(html.replace("<mark>carton</mark>", "carton")).toBe(
        // eslint-disable-next-line no-control-regex -- the snippet delimiters are control characters on purpose
        renderToStaticMarkup(createElement("span", null, snippet.replace(/[\u0002\u0003]/g, ""))).replace(
          /^<span>|<\/span>$/g,
          "",
        ),
      );
      expect(html).not.toContain("<b>");
    },
  );

  it("marks what the database matched, from a real search", async () => {
    const { page } = await search("parcels");
    const html = renderToStaticMarkup(createElement(SearchSnippet, { text: page.results![0]!.snippet }));
    expect(html).toMatch(/<mark>[Pp]arcels<\/mark>/);
  });
});

function highlightQueries(): Array<[label: string, query: string]> {
  return [
    ["SQL", "'; drop table documents; --"],
    ["regular expression syntax", "(a+)+$ [ ( ) * \\d"],
    ["a backslash", "\\"],
    ["HTML", "<b>before</b>"],
    ["unicode", "配送 📦 Ünïcödé \u202Ecourier"],
  ];
}
