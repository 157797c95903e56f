-- A transactional outbox: an event is a row written in the same transaction as the rows it is about, so an
-- order, a document or a confirmed account can never exist without the event that sets its workflow going
-- (nor the event without them). The request that wrote the row delivers it to Inngest at once; the
-- `relay-outbox` function delivers whatever that missed. The row's id is the Inngest event id, so a second
-- delivery of one event is dropped by Inngest's event dedupe.
create table public.outbox_events (
  id text primary key,
  name text not null,
  data jsonb not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  attempts integer not null default 0,
  last_error text
);
create index outbox_events_unsent_idx on public.outbox_events (created_at) where sent_at is null;

alter table public.outbox_events enable row level security;
revoke all on public.outbox_events from anon, authenticated;

-- The welcome email waits for a confirmed address: nothing but the confirmation goes to an address its owner
-- has not proved. GoTrue confirms either on insert (autoconfirm) or later by setting email_confirmed_at, and
-- both happen in GoTrue's own transaction, so the event commits with the confirmation.
create function public.enqueue_user_signed_up() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.email_confirmed_at is not null and (tg_op = 'INSERT' or old.email_confirmed_at is null) then
    insert into public.outbox_events (id, name, data)
    values ('signed-up-' || new.id, 'user/signed.up', jsonb_build_object('userId', new.id, 'email', new.email))
    on conflict (id) do nothing;
  end if;
  return new;
end;
$$;

create trigger on_auth_user_confirmed
  after insert or update of email_confirmed_at on auth.users
  for each row execute function public.enqueue_user_signed_up();
