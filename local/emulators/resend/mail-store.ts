import type postgres from "postgres";

export interface StoredMessage {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  reply_to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: Array<{ name: string; value: string }>;
  created_at: string;
}

/** The mailbox: every message the Resend emulator accepted, kept in the embedded database. */
export class MailStore {
  constructor(private readonly sql: postgres.Sql) {}

  async migrate() {
    await this.sql.unsafe(`
      create schema if not exists local_mail;
      create table if not exists local_mail.messages (
        id text primary key, message jsonb not null, idempotency_key text, request_hash text,
        created_at timestamptz not null default now()
      );
      create unique index if not exists messages_idempotency_idx on local_mail.messages (idempotency_key) where idempotency_key is not null;
    `);
  }

  async insert(message: StoredMessage, idempotencyKey: string | null, requestHash: string) {
    await this.sql`insert into local_mail.messages (id, message, idempotency_key, request_hash)
      values (${message.id}, ${this.sql.json(message as unknown as postgres.JSONValue)}, ${idempotencyKey}, ${requestHash})`;
  }

  async findByIdempotencyKey(key: string): Promise<{ id: string; request_hash: string } | undefined> {
    const [row] = await this.sql<{ id: string; request_hash: string }[]>`
      select id, request_hash from local_mail.messages where idempotency_key = ${key}`;
    return row;
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const [row] = await this.sql<
      { message: StoredMessage }[]
    >`select message from local_mail.messages where id = ${id}`;
    return row?.message;
  }

  /** Newest first; `to` matches any recipient, case-insensitively. */
  async list(to?: string | null, limit = 200): Promise<StoredMessage[]> {
    const rows = to
      ? await this.sql<{ message: StoredMessage }[]>`
          select message from local_mail.messages
          where exists (select 1 from jsonb_array_elements_text(message->'to') r where lower(r) = lower(${to}))
          order by created_at desc, id desc limit ${limit}`
      : await this.sql<
          { message: StoredMessage }[]
        >`select message from local_mail.messages order by created_at desc, id desc limit ${limit}`;
    return rows.map((row) => row.message);
  }
}
