-- Intermediate data of the document pipeline. Inngest keeps step results small, so the extracted pages and
-- the embedded chunks wait here between steps; `store-vectors` moves the chunks into document_chunks in one
-- transaction and clears these rows. Only the workflow (service role) touches them.
create table public.document_pages (
  document_id uuid not null references public.documents (id) on delete cascade,
  page_number integer not null,
  content text not null,
  primary key (document_id, page_number)
);

create table public.document_chunk_drafts (
  document_id uuid not null references public.documents (id) on delete cascade,
  chunk_index integer not null,
  page_number integer not null,
  content text not null,
  token_count integer not null,
  embedding extensions.vector(1536),
  primary key (document_id, chunk_index)
);

alter table public.document_pages enable row level security;
alter table public.document_chunk_drafts enable row level security;
