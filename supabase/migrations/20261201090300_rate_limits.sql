-- Rate limits the app keeps for itself, in Postgres so that every function instance counts against the same
-- numbers (Supabase's own Auth limits key on the caller's address, which for server-side calls is Netlify's).
-- A fixed window per key: `hits` requests since `window_start`. Only the service role reads or writes it.
create table public.rate_limit_windows (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
);
create index rate_limit_windows_window_start_idx on public.rate_limit_windows (window_start);

alter table public.rate_limit_windows enable row level security;
revoke all on public.rate_limit_windows from anon, authenticated;

-- Counts one request against `p_key` and says whether it is within `p_limit` per `p_window_seconds`, and if not,
-- how many seconds until the window ends. One statement, so concurrent requests cannot both take the last slot.
create function public.hit_rate_limit(p_key text, p_limit integer, p_window_seconds integer)
returns table (allowed boolean, retry_after_seconds integer)
language plpgsql set search_path = '' as $$
declare
  started timestamptz := to_timestamp(floor(extract(epoch from now()) / p_window_seconds) * p_window_seconds);
  counted integer;
begin
  insert into public.rate_limit_windows as w (key, window_start, hits) values (p_key, started, 1)
  on conflict (key, window_start) do update set hits = w.hits + 1
  returning w.hits into counted;
  -- Windows of this key that have ended are no use to anyone.
  delete from public.rate_limit_windows where key = p_key and window_start < started;
  return query select counted <= p_limit,
    greatest(1, ceil(extract(epoch from started + make_interval(secs => p_window_seconds) - now())))::integer;
end;
$$;
revoke execute on function public.hit_rate_limit(text, integer, integer) from public, anon, authenticated;
grant execute on function public.hit_rate_limit(text, integer, integer) to service_role;
