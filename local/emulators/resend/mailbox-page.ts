import type { StoredMessage } from "./mail-store";

const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** The mailbox web UI: messages newest first, and the selected one's HTML (sandboxed), text and headers. */
export function renderMailbox(
  messages: StoredMessage[],
  selected: StoredMessage | undefined,
  filter: string | null,
): string {
  const rows = messages
    .map(
      (
        m,
      ) => `<li${selected?.id === m.id ? ' aria-current="true"' : ""}><a href="/?id=${m.id}${filter ? `&to=${encodeURIComponent(filter)}` : ""}">
        <strong>${escape(m.subject)}</strong><br><small>${escape(m.to.join(", "))} · ${escape(m.created_at.replace("T", " ").slice(0, 19))}</small></a></li>`,
    )
    .join("");
  const detail = selected
    ? `<article><h2>${escape(selected.subject)}</h2>
      <dl><dt>From</dt><dd>${escape(selected.from)}</dd><dt>To</dt><dd>${escape(selected.to.join(", "))}</dd>
      <dt>Sent</dt><dd>${escape(selected.created_at)}</dd><dt>Id</dt><dd>${escape(selected.id)}</dd></dl>
      ${selected.html ? `<h3>HTML</h3><iframe title="HTML body" sandbox srcdoc="${escape(selected.html)}"></iframe>` : ""}
      ${selected.text ? `<h3>Text</h3><pre>${escape(selected.text)}</pre>` : ""}
      <h3>Headers</h3><pre>${escape(JSON.stringify(selected.headers, null, 2))}</pre></article>`
    : `<article><p>Select a message.</p></article>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stepwise mailbox</title><style>
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1b1d23;background:#f5f6f8}header{background:#1b1d23;color:#fff;padding:.6rem 1rem}
.layout{display:grid;grid-template-columns:minmax(14rem,22rem) 1fr;gap:1rem;padding:1rem}ul{list-style:none;margin:0;padding:0;background:#fff;border:1px solid #dfe2e8}
li a{display:block;padding:.5rem .75rem;color:inherit;text-decoration:none;border-bottom:1px solid #eee}li[aria-current] a{background:#e7f5ff}
article{background:#fff;border:1px solid #dfe2e8;padding:.5rem 1rem;min-width:0}iframe{width:100%;height:24rem;border:1px solid #dfe2e8}
pre{white-space:pre-wrap;background:#f7f7f9;padding:.5rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}dd{margin:0}
@media (max-width:40rem){.layout{grid-template-columns:1fr}}
</style></head><body><header><strong>Mailbox</strong> · every email Stepwise sent through the local Resend
${filter ? ` · to ${escape(filter)} (<a style="color:#fff" href="/">all</a>)` : ""}</header>
<div class="layout"><nav aria-label="Messages"><ul>${rows || "<li><a>No messages yet.</a></li>"}</ul></nav>${detail}</div></body></html>`;
}
