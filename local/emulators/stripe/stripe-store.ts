import type postgres from "postgres";

export type StripeObject = { id: string; object: string; [field: string]: unknown };

/** Stripe's objects, events and replayable idempotent responses, kept in the embedded database. */
export class StripeStore {
  constructor(private readonly sql: postgres.Sql) {}

  async migrate() {
    await this.sql.unsafe(`
      create schema if not exists local_stripe;
      create table if not exists local_stripe.objects (id text primary key, type text not null, data jsonb not null, created_at timestamptz not null default now());
      create table if not exists local_stripe.idempotent_responses (key text primary key, request_hash text not null, status int not null, body jsonb not null);
      create table if not exists local_stripe.deliveries (
        id bigserial primary key, event_id text not null, attempt int not null, status int, error text, delivered_at timestamptz not null default now()
      );
    `);
  }

  async put<T extends StripeObject>(object: T): Promise<T> {
    await this
      .sql`insert into local_stripe.objects (id, type, data) values (${object.id}, ${object.object}, ${this.sql.json(object as unknown as postgres.JSONValue)})
      on conflict (id) do update set data = excluded.data`;
    return object;
  }

  async get<T extends StripeObject>(id: string): Promise<T | undefined> {
    const [row] = await this.sql<{ data: T }[]>`select data from local_stripe.objects where id = ${id}`;
    return row?.data;
  }

  async list<T extends StripeObject>(type: string, limit = 100): Promise<T[]> {
    const rows = await this.sql<
      { data: T }[]
    >`select data from local_stripe.objects where type = ${type} order by created_at desc limit ${limit}`;
    return rows.map((row) => row.data);
  }

  async idempotentResponse(key: string): Promise<{ request_hash: string; status: number; body: unknown } | undefined> {
    const [row] = await this.sql<{ request_hash: string; status: number; body: unknown }[]>`
      select request_hash, status, body from local_stripe.idempotent_responses where key = ${key}`;
    return row;
  }

  async rememberResponse(key: string, requestHash: string, status: number, body: unknown) {
    await this.sql`insert into local_stripe.idempotent_responses (key, request_hash, status, body)
      values (${key}, ${requestHash}, ${status}, ${this.sql.json(body as postgres.JSONValue)}) on conflict (key) do nothing`;
  }

  async recordDelivery(eventId: string, attempt: number, status: number | null, error: string | null) {
    await this
      .sql`insert into local_stripe.deliveries (event_id, attempt, status, error) values (${eventId}, ${attempt}, ${status}, ${error})`;
  }

  async deliveries(limit = 200) {
    return this
      .sql`select event_id, attempt, status, error, delivered_at from local_stripe.deliveries order by id desc limit ${limit}`;
  }
}
