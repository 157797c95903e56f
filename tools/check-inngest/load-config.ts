import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";
import { register } from "tsx/esm/api";
import type { ModuleResolver } from "./module-resolution";
import type { ProjectScan } from "./project-scan";
import { registrationOf } from "./registration";

/** One function's configuration as `serve()` would sync it to Inngest (the first entry of `getConfig`). */
export interface SyncedFunctionConfig {
  id: string;
  triggers: Array<{ event?: string; cron?: string }>;
  steps: Record<string, { retries?: { attempts: number } }>;
  concurrency?: unknown;
  idempotency?: string;
  cancel?: Array<{ event: string; timeout?: string }>;
}

export interface LoadedFunction {
  /** The module it was imported from, relative to the project root. */
  file: string;
  exportName: string;
  instance: object;
  /** The id as written in the options; the synced id carries the app's prefix. */
  id: string;
  config: SyncedFunctionConfig;
  /** Per trigger: whether it carries a schema (v4 `eventType(name, { schema })`). */
  triggerHasSchema: boolean[];
}

export interface LoadedProject {
  functions: LoadedFunction[];
  /** The functions list serve() receives, when it could be imported; null when it could not be followed. */
  served: Set<object> | null;
  /** Modules that could not be imported, and why. The source checks stand in for them. */
  failures: Array<{ file: string; reason: string }>;
}

const IMPORT_TIMEOUT_MS = 15_000;
/** Where the SDK would be served from; only used to build the URLs inside getConfig's answer. */
const SERVE_URL = new URL("http://localhost/api/inngest");

/**
 * Imports the project's function modules (with its own tsconfig paths, so `~/` aliases work) and asks each
 * function for the configuration the SDK would sync. Server-only modules may need env at import: variables the
 * project documents in `.env.example` are filled in while importing, and INNGEST_DEV=1 keeps the client in dev mode.
 * A module that still fails is reported, not thrown.
 */
export async function loadProject(scan: ProjectScan, resolver: ModuleResolver): Promise<LoadedProject> {
  const loaded: LoadedProject = { functions: [], served: null, failures: [] };
  const api = register({
    namespace: `check-inngest-${process.pid}-${Date.now()}`,
    tsconfig: resolver.tsconfig ?? false,
  });
  const restoreEnv = applyEnvDefaults(scan.root);
  const modules = new Map<string, Record<string, unknown> | null>();
  const importModule = async (file: string) => {
    if (!modules.has(file)) {
      try {
        const url = pathToFileURL(path.join(scan.root, file)).href;
        modules.set(
          file,
          (await withTimeout(api.import(url, import.meta.url), `importing ${file}`)) as Record<string, unknown>,
        );
      } catch (error) {
        modules.set(file, null);
        loaded.failures.push({ file, reason: firstLine(error) });
      }
    }
    return modules.get(file) ?? null;
  };
  try {
    for (const file of new Set(scan.functions.map((fn) => fn.file))) {
      const module = await importModule(file);
      for (const [exportName, value] of Object.entries(module ?? {})) {
        if (isInngestFunction(value)) loaded.functions.push(describe(file, exportName, value));
      }
    }
    loaded.served = await servedInstances(scan, resolver, loaded, importModule);
  } finally {
    restoreEnv();
    await api.unregister();
  }
  return loaded;
}

/** The function instances passed to serve(), following the same references the source scan follows. */
async function servedInstances(
  scan: ProjectScan,
  resolver: ModuleResolver,
  loaded: LoadedProject,
  importModule: (file: string) => Promise<Record<string, unknown> | null>,
): Promise<Set<object> | null> {
  if (scan.serveCalls.length === 0) return null;
  const registration = registrationOf(scan, resolver);
  if (registration.unresolved.length > 0) return null;
  const served = new Set<object>();
  for (const { file, exportName } of registration.sites) {
    const match = loaded.functions.find((fn) => fn.file === file && fn.exportName === exportName);
    if (!match) return null;
    served.add(match.instance);
  }
  for (const ref of registration.opaque) {
    const value = (await importModule(ref.file))?.[ref.exportName];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every(isInngestFunction)) return null;
    for (const fn of list) served.add(fn);
  }
  return served;
}

type InngestFunctionLike = {
  opts: { id: string; triggers?: unknown[] };
  client: { id: string };
  getConfig(options: { baseUrl: URL; appPrefix: string; isConnect: boolean }): SyncedFunctionConfig[];
};

function isInngestFunction(value: unknown): value is InngestFunctionLike {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<InngestFunctionLike>;
  return (
    typeof candidate.getConfig === "function" &&
    typeof candidate.opts?.id === "string" &&
    typeof candidate.client?.id === "string"
  );
}

function describe(file: string, exportName: string, fn: InngestFunctionLike): LoadedFunction {
  const [config] = fn.getConfig({ baseUrl: SERVE_URL, appPrefix: fn.client.id, isConnect: false });
  return {
    file,
    exportName,
    instance: fn,
    id: fn.opts.id,
    config: config!,
    triggerHasSchema: (fn.opts.triggers ?? []).map((trigger) => {
      const event = (trigger as { event?: unknown }).event ?? trigger;
      return typeof event === "object" && event !== null && (event as { schema?: unknown }).schema !== undefined;
    }),
  };
}

/** Sets, for the duration of the import, variables that are unset but given a value in the project's .env.example. */
function applyEnvDefaults(root: string): () => void {
  const defaults: Record<string, string> = { INNGEST_DEV: "1" };
  const example = path.join(root, ".env.example");
  if (existsSync(example)) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync(example, "utf8"))))
      if (value) defaults[key] = value;
  }
  // Production keys mean the project is configured for real; dev mode would then be wrong, so leave it off.
  if (process.env.INNGEST_SIGNING_KEY) delete defaults.INNGEST_DEV;
  const added = Object.keys(defaults).filter((key) => process.env[key] === undefined);
  for (const key of added) process.env[key] = defaults[key];
  return () => {
    for (const key of added) delete process.env[key];
  };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${IMPORT_TIMEOUT_MS / 1000} s`)),
      IMPORT_TIMEOUT_MS,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}
