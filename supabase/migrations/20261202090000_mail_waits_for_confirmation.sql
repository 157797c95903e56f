-- Nothing is mailed to an address its owner has not proved, but the confirmation link itself (which GoTrue
-- sends). The welcome email already waits for the confirmation (its event is written when GoTrue confirms);
-- the digest and the tips read this flag, kept by the database as GoTrue confirms, so no path can forget it.
alter table public.profiles add column email_confirmed boolean not null default false;

update public.profiles p set email_confirmed = true
from auth.users u where u.id = p.id and u.email_confirmed_at is not null;

create or replace function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, email, full_name, email_confirmed)
  values (new.id, new.email, new.raw_user_meta_data ->> 'full_name', new.email_confirmed_at is not null);
  return new;
end;
$$;

create function public.handle_user_email_confirmed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles set email_confirmed = true, updated_at = now() where id = new.id;
  return new;
end;
$$;

create trigger on_auth_user_email_confirmed
  after update of email_confirmed_at on auth.users
  for each row when (old.email_confirmed_at is null and new.email_confirmed_at is not null)
  execute function public.handle_user_email_confirmed();
