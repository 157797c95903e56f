import { useFetcher } from "@remix-run/react";
import { useEffect } from "react";

/**
 * The loader data of `url`, fetched again every `intervalMs` while `isActive` says so of the latest data,
 * beside the page's own data: only what changes (a status) is polled, so the page's loader (and a search in
 * it) does not run on every tick.
 */
export function usePolledData<T>(url: string, initial: T, isActive: (data: T) => boolean, intervalMs = 1_000): T {
  const fetcher = useFetcher<T>();
  const data = fetcher.data ?? initial;
  const active = isActive(data);
  const { load, state } = fetcher;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle" && document.visibilityState === "visible") load(url);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, load, state, url]);
  return data;
}
