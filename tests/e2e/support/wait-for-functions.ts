import { LOCAL_PORTS } from "../../../contracts/local-defaults";

// The app answers /healthz before the executor's first sync has registered its functions; an event sent in that
// gap (the first journey's sign-up) would start nothing. Journeys begin once the functions are registered, as
// they always are before a deploy takes traffic.
export async function waitForFunctions(): Promise<void> {
  const deadline = Date.now() + 60_000;
  const url = `http://127.0.0.1:${LOCAL_PORTS.inngest}/api/functions`;
  for (;;) {
    const listed = await fetch(url)
      .then((response) => (response.ok ? (response.json() as Promise<{ data: unknown[] }>) : { data: [] }))
      .catch(() => ({ data: [] }));
    if (listed.data.length > 0) return;
    if (Date.now() > deadline) throw new Error(`The executor at ${url} registered no functions within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
