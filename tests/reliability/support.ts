import { connect, createServer, type Socket } from "node:net";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { TestStackWithoutExecutor, TestStack } from "../../harness/test-stack";
import { createUser } from "../support/rows";

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export type AnyTestStack = TestStack | TestStackWithoutExecutor;

/** A signed-up user on either kind of test stack. */
export function newUser(stack: AnyTestStack, options?: Parameters<typeof createUser>[1]) {
  return createUser(stack.stack.sql, options);
}

/** A PDF of `pages` pages, each long enough to make several chunks. */
export async function makePdf(pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const topic of pages) {
    const page = pdf.addPage([612, 792]);
    let y = 760;
    for (let paragraph = 1; y > 40; paragraph++) {
      page.drawText(`${paragraph}. ${topic}`.slice(0, 100), { x: 40, y, size: 9, font });
      y -= 12;
    }
  }
  return pdf.save();
}

/** A user's uploaded PDF, stored and recorded as the upload form does, and the event that starts its processing. */
export async function uploadDocument(stack: AnyTestStack, title: string, pages: string[]) {
  const user = await newUser(stack);
  const bytes = await makePdf(pages);
  const storagePath = `${user.id}/${title}.pdf`;
  const [document] = await stack.stack.sql<{ id: string }[]>`
    insert into documents (user_id, title, storage_path, size_bytes) values (${user.id}, ${title}, ${storagePath}, ${bytes.length}) returning id`;
  const { storageAsService } = await import("../../app/services/storage.server");
  const { error } = await storageAsService()
    .from("documents")
    .upload(storagePath, Buffer.from(bytes), { contentType: "application/pdf" });
  if (error) throw error;
  const { inngest } = await import("../../app/inngest/client.server");
  await inngest.send({ name: "document/uploaded", data: { documentId: document!.id, userId: user.id, storagePath } });
  return { user, documentId: document!.id };
}

/** What the user would see of a document's chunks: how many the document says, and what is stored. */
export async function chunksOf(stack: AnyTestStack, documentId: string) {
  const [document] = await stack.stack.sql<{ status: string; chunk_count: number | null }[]>`
    select status, chunk_count from documents where id = ${documentId}`;
  const [stored] = await stack.stack.sql<{ rows: number; indexes: number; embedded: number }[]>`
    select count(*)::int as rows, count(distinct chunk_index)::int as indexes, count(embedding)::int as embedded
    from document_chunks where document_id = ${documentId}`;
  return { ...document!, ...stored! };
}

/**
 * A TCP hop between the app's connection pool and Postgres that can end a connection the way a Postgres restart
 * or failover does. `terminateAtCommit` lets a transaction write its rows (the server answers every statement),
 * then, when the client sends COMMIT, drops it: the server side is closed (so the transaction rolls back) and the
 * client gets FATAL 57P01 and a closed connection.
 *
 * Why at COMMIT: postgres.js 3.4.9 crashes the whole process (an uncaught TypeError in `nextWrite`, porsager/postgres
 * #1154 / #1208) when a connection is lost while a statement inside `begin` is in flight, because `begin` then writes
 * ROLLBACK to a socket it has already dropped. A lost COMMIT is rejected cleanly.
 */
export class DatabaseLink {
  private server = createServer((socket) => this.accept(socket));
  private sockets = new Set<Socket>();
  private trap: { query: string; sprung: Deferred } | null = null;
  /** Connections ended so far. */
  terminated = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static async to(databaseUrl: string) {
    const url = new URL(databaseUrl);
    const link = new DatabaseLink({ host: url.hostname, port: Number(url.port) });
    await new Promise<void>((resolve) => link.server.listen(0, "127.0.0.1", resolve));
    link.port = (link.server.address() as { port: number }).port;
    url.port = String(link.port);
    return { link, url: url.toString() };
  }

  /** Resolves once the transaction that ran `query` lost its COMMIT and its connection. */
  terminateAtCommit(query: string): Promise<void> {
    this.trap = { query, sprung: deferred() };
    return this.trap.sprung.promise;
  }

  async close() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket) {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    let marked = false;
    let terminating = false;
    client.on("data", (chunk: Buffer) => {
      const trap = this.trap;
      const text = chunk.toString("latin1");
      if (trap && text.includes(trap.query)) marked = true;
      if (!(marked && trap && /\bcommit\b/i.test(text))) return void upstream.write(chunk);
      this.trap = null;
      this.terminated++;
      terminating = true;
      upstream.destroy();
      client.write(fatalAdminShutdown());
      // Postgres closes right after the FATAL; the pause lets the client read it first, as it would over a network.
      setTimeout(() => {
        client.end();
        trap.sprung.resolve();
      }, 50);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.on("error", () => other.destroy());
      socket.on("close", () => {
        this.sockets.delete(socket);
        if (!terminating) other.destroy();
      });
    }
  }
}

/** ErrorResponse FATAL 57P01, what a backend sends when the server shuts down or fails over. */
function fatalAdminShutdown(): Buffer {
  const fields = [
    ["S", "FATAL"],
    ["V", "FATAL"],
    ["C", "57P01"],
    ["M", "terminating connection due to administrator command"],
  ];
  const body = Buffer.concat([
    ...fields.map(([code, text]) => Buffer.from(`${code}${text}\0`, "latin1")),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
