import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

export interface EmbeddedDatabaseServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PROTOCOL_V3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * Serves the embedded database over the Postgres wire protocol so the app, psql and the supabase CLI reach it
 * like any Postgres. PGlite is one session, so one client at a time owns it: from its first message until it
 * has finished a Sync or simple Query outside a transaction. (pglite-socket 0.1.6 hands the session over between
 * a client's Parse and Bind messages, so concurrent clients corrupt each other's unnamed statements.)
 */
export async function serveEmbeddedDatabase(db: PGlite, port: number): Promise<EmbeddedDatabaseServer> {
  const session = new SessionLock();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const client = new WireClient(db, socket, session);
    socket.on("data", (chunk) => client.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      void client.closed();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: `postgres://postgres:postgres@127.0.0.1:${actualPort}/postgres`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Who owns PGlite's single session, and who waits for it, in arrival order. */
class SessionLock {
  private owner: WireClient | null = null;
  private waiting: Array<{ client: WireClient; grant: () => void }> = [];

  async acquire(client: WireClient) {
    if (this.owner === client) return;
    if (this.owner === null) {
      this.owner = client;
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ client, grant }));
  }

  release(client: WireClient) {
    if (this.owner !== client) return;
    const next = this.waiting.shift();
    this.owner = next?.client ?? null;
    next?.grant();
  }

  forget(client: WireClient) {
    this.waiting = this.waiting.filter((w) => w.client !== client);
  }
}

class WireClient {
  private buffer = Buffer.alloc(0);
  private work: Promise<void> = Promise.resolve();
  private started = false;

  constructor(
    private readonly db: PGlite,
    private readonly socket: Socket,
    private readonly session: SessionLock,
  ) {}

  receive(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    // Every whole message that has arrived goes to the database in one call: postgres.js sends a query as
    // Parse, Bind, Describe, Execute and Sync together, and one call per message cost a pass through the
    // database's main loop, a file-system sync and a socket write each.
    const batch: Buffer[] = [];
    for (let message = this.nextMessage(); message; message = this.nextMessage()) {
      if (!this.started) {
        // An SSL or GSSAPI request is answered and followed by the real startup message; after that, messages
        // carry a type byte.
        this.started = message.readInt32BE(4) === PROTOCOL_V3;
        this.enqueue([message], true);
      } else if (message[0] === TERMINATE) {
        this.enqueue(batch.splice(0), false);
        this.enqueue([message], false);
      } else {
        batch.push(message);
      }
    }
    this.enqueue(batch, false);
  }

  private enqueue(messages: Buffer[], isStartup: boolean) {
    if (messages.length === 0) return;
    this.work = this.work.then(() => this.handle(messages, isStartup)).catch(() => void this.socket.destroy());
  }

  async closed() {
    this.session.forget(this);
    await this.work;
    await this.session.acquire(this);
    try {
      // A client that vanished mid-transaction must not leave the shared session inside it.
      if (this.db.isInTransaction()) await this.db.exec("rollback");
    } finally {
      this.session.release(this);
    }
  }

  private nextMessage(): Buffer | null {
    if (!this.started) {
      if (this.buffer.length < 8) return null;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return null;
      return this.take(length);
    }
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    return this.take(length);
  }

  private take(length: number): Buffer {
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async handle(messages: Buffer[], isStartup: boolean) {
    const first = messages[0]!;
    if (isStartup) {
      const code = first.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        this.socket.write("N"); // no TLS on loopback; the client continues in plain text
        return;
      }
    }
    if (!isStartup && first[0] === TERMINATE) {
      this.socket.end();
      return;
    }
    await this.session.acquire(this);
    let ownsUntilLater = true;
    const last = messages[messages.length - 1]!;
    // The replies leave in one write, as a server's would, instead of one packet per reply.
    this.socket.cork();
    try {
      await this.db.execProtocolRawStream(new Uint8Array(Buffer.concat(messages)), {
        onRawData: (data) => {
          if (data.length > 0 && this.socket.writable) this.socket.write(Buffer.from(data));
        },
      });
      const endsExchange = isStartup || last[0] === SYNC || last[0] === QUERY;
      ownsUntilLater = !(endsExchange && !this.db.isInTransaction());
    } finally {
      this.socket.uncork();
      if (!ownsUntilLater) this.session.release(this);
    }
  }
}
