-- Every email the workflows send, keyed by the idempotency key passed to Resend, so a retried step can
-- tell that its email already went out and the settings page can show what was sent.
create table public.email_log (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade,
  idempotency_key text not null unique,
  kind text not null,
  to_address text not null,
  subject text not null,
  provider_message_id text,
  created_at timestamptz not null default now()
);
create index email_log_user_id_idx on public.email_log (user_id, created_at desc);

alter table public.email_log enable row level security;

create policy "email_log: read own" on public.email_log
  for select to authenticated using (user_id = (select auth.uid()));
