import type { Database } from "./database";

// The executor's durable state. Times are epoch milliseconds on the executor's clock.
const SCHEMA = `
create schema if not exists inngest_local;
set search_path = inngest_local;
create table if not exists apps (
  url text primary key, app_id text, synced_at double precision, error text
);
create table if not exists functions (
  id text primary key, app_url text not null, name text not null, config jsonb not null
);
create table if not exists events (
  internal_id text primary key, id text, name text not null, payload jsonb not null, received_at double precision not null
);
create index if not exists events_id_idx on events (id);
create index if not exists events_received_idx on events (received_at desc);
create table if not exists runs (
  run_id text primary key,
  function_id text not null,
  event_id text,
  event jsonb not null,
  events jsonb not null,
  status text not null,
  output jsonb,
  error jsonb,
  started_at double precision not null,
  ended_at double precision,
  force_plan boolean not null default false,
  concurrency_keys jsonb not null default '[]',
  parent jsonb
);
create index if not exists runs_function_idx on runs (function_id, started_at desc);
create index if not exists runs_event_idx on runs (event_id);
create index if not exists runs_status_idx on runs (status);
create table if not exists steps (
  run_id text not null, step_id text not null, seq serial, op text not null, name text, display_name text,
  state jsonb, attempts int not null default 1, started_at double precision, ended_at double precision, error jsonb,
  primary key (run_id, step_id)
);
create table if not exists jobs (
  id bigserial primary key,
  run_id text,
  kind text not null,
  step_id text,
  attempt int not null default 0,
  due_at double precision not null,
  payload jsonb,
  dedupe_key text unique
);
create index if not exists jobs_due_idx on jobs (due_at);
create index if not exists jobs_run_idx on jobs (run_id);
create table if not exists pauses (
  id bigserial primary key, run_id text not null, step_id text not null, kind text not null,
  event_name text, expression text, correlation_id text, expires_at double precision not null
);
create index if not exists pauses_event_idx on pauses (event_name);
create index if not exists pauses_run_idx on pauses (run_id);
create index if not exists pauses_correlation_idx on pauses (correlation_id);
alter table runs add column if not exists singleton_key text;
alter table runs add column if not exists executing_since double precision;
alter table runs add column if not exists batch_event_ids jsonb;
create index if not exists runs_singleton_idx on runs (singleton_key) where status = 'Running';
create table if not exists throttle_state (
  key text primary key, tat double precision not null
);
create table if not exists idempotency_keys (
  key text primary key, run_id text not null, expires_at double precision not null
);
alter table steps add column if not exists input jsonb;
alter table steps add column if not exists reused_from text;
alter table runs add column if not exists origin jsonb;
alter table apps add column if not exists attempted_at double precision;
create index if not exists runs_parent_idx on runs ((parent->>'runId')) where parent is not null;
create index if not exists runs_origin_idx on runs ((origin->>'runId')) where origin is not null;
alter table jobs add column if not exists concurrency_keys jsonb;
update jobs j set concurrency_keys = r.concurrency_keys from runs r
  where r.run_id = j.run_id and j.kind in ('step', 'discovery') and j.concurrency_keys is null;
`;

export async function migrate(db: Database) {
  for (const statement of SCHEMA.split(";")
    .map((s) => s.trim())
    .filter(Boolean))
    await db.query(statement);
}
