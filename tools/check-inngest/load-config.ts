import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

export interface LoadedFunction {
  /** The id as written in the options, without the app prefix. */
  id: string;
  options: Record<string, unknown>;
}

export type LoadedConfig = { ok: true; entry: string; functions: LoadedFunction[] } | { ok: false; reason: string };

const ENTRIES = ["app/inngest/index.ts", "app/inngest/functions.ts", "app/inngest/functions/index.ts", "src/inngest/index.ts"];

/**
 * Imports the project's function list the way its serve route would, and reads each function's options as the SDK
 * will sync them (including options built from variables or spreads, which the source alone cannot show).
 * Import failures (missing env, server-only modules) are reported, not thrown: the source checks still run.
 */
export async function loadFunctionConfig(root: string): Promise<LoadedConfig> {
  const entry = ENTRIES.map((candidate) => path.join(root, candidate)).find((file) => existsSync(file));
  if (!entry) return { ok: false, reason: `no function list found (looked for ${ENTRIES.join(", ")})` };
  try {
    const module = (await tsImport(pathToFileURL(entry).href, import.meta.url)) as Record<string, unknown>;
    const candidates = Array.isArray(module.functions) ? module.functions : Object.values(module);
    const functions = candidates.filter(isInngestFunction).map((fn) => ({ id: String(fn.opts.id), options: fn.opts }));
    return { ok: true, entry: path.relative(root, entry), functions };
  } catch (error) {
    return { ok: false, reason: `importing ${path.relative(root, entry)} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
}

function isInngestFunction(value: unknown): value is { opts: Record<string, unknown> & { id: unknown } } {
  return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "function" && typeof (value as { opts?: { id?: unknown } }).opts?.id === "string";
}
