-- Uploaded PDFs and their embedded chunks for semantic search.
create type public.document_status as enum ('uploaded', 'processing', 'ready', 'failed');

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  storage_path text not null unique,
  size_bytes integer not null check (size_bytes > 0),
  status public.document_status not null default 'uploaded',
  error text,
  page_count integer,
  chunk_count integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index documents_user_id_created_at_idx on public.documents (user_id, created_at desc);

create table public.document_chunks (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.documents (id) on delete cascade,
  -- Copied from the document so the row policy and the search filter need no join.
  user_id uuid not null references auth.users (id) on delete cascade,
  chunk_index integer not null,
  page_number integer not null,
  content text not null,
  token_count integer not null,
  embedding extensions.vector(1536) not null,
  unique (document_id, chunk_index)
);
create index document_chunks_embedding_idx on public.document_chunks
  using hnsw (embedding extensions.vector_cosine_ops);
create index document_chunks_user_id_idx on public.document_chunks (user_id);

alter table public.documents enable row level security;
alter table public.document_chunks enable row level security;

create policy "documents: read own" on public.documents
  for select to authenticated using (user_id = (select auth.uid()));
create policy "documents: upload own" on public.documents
  for insert to authenticated with check (user_id = (select auth.uid()) and status = 'uploaded');
create policy "documents: delete own" on public.documents
  for delete to authenticated using (user_id = (select auth.uid()));
create policy "document_chunks: read own" on public.document_chunks
  for select to authenticated using (user_id = (select auth.uid()));

-- Nearest chunks to a query embedding among the caller's own documents (row security applies: invoker).
create function public.match_document_chunks(
  query_embedding extensions.vector(1536),
  match_threshold double precision,
  match_count integer
) returns table (
  chunk_id bigint,
  document_id uuid,
  document_title text,
  page_number integer,
  content text,
  similarity double precision
)
language sql stable security invoker
set search_path = public, extensions
as $$
  select c.id, c.document_id, d.title, c.page_number, c.content,
         1 - (c.embedding <=> query_embedding) as similarity
  from (
    select * from public.document_chunks
    order by embedding <=> query_embedding
    limit least(match_count, 200)
  ) c
  join public.documents d on d.id = c.document_id
  where 1 - (c.embedding <=> query_embedding) >= match_threshold
  order by c.embedding <=> query_embedding
$$;

-- The private bucket the PDFs live in; each user may only touch objects under "<their id>/".
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('documents', 'documents', false, 20971520, array['application/pdf']);

create policy "documents bucket: read own folder" on storage.objects
  for select to authenticated
  using (bucket_id = 'documents' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "documents bucket: upload to own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'documents' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "documents bucket: replace in own folder" on storage.objects
  for update to authenticated
  using (bucket_id = 'documents' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "documents bucket: delete from own folder" on storage.objects
  for delete to authenticated
  using (bucket_id = 'documents' and (storage.foldername(name))[1] = (select auth.uid())::text);
