import { LOCAL_DEFAULTS, LOCAL_PORTS } from "../contracts/local-defaults";
import { startExecutor, type RunningExecutor } from "./inngest/index";
import { chooseServices, REAL_API_BASES, type ServiceChoice } from "./service-choice";
import { startEmbeddedServices, type EmbeddedServices, type EmbeddedServicesOptions } from "./start-local-stack";

export interface DevServicesOptions extends Omit<EmbeddedServicesOptions, "embed" | "databaseUrl"> {
  /** The environment to read the developer's choices from and to point at what starts (process.env for dev). */
  env: Record<string, string | undefined>;
  argv: readonly string[];
  /** Where the executor keeps its state; in memory if omitted. */
  inngestDataDir?: string;
}

export interface DevServices {
  choice: ServiceChoice;
  stack: EmbeddedServices;
  executor?: RunningExecutor;
  /** Name → URL of everything that started, for the banner. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

export class MissingVariablesError extends Error {}

/**
 * The services `npm run dev` embeds: those the developer has not swapped for the real one or its own local tool
 * (see service-choice.ts). Points `env` at them, leaving every variable the developer set as it is, and spells out
 * the real API for a swapped service whose base URL is unset.
 */
export async function startDevServices(options: DevServicesOptions): Promise<DevServices> {
  const { env } = options;
  const choice = chooseServices(env, options.argv);
  if (choice.missing.length > 0) {
    const swapped = [...choice.external].map(([service, why]) => `${service} (${why})`).join(", ");
    throw new MissingVariablesError(
      `Swapped for your own: ${swapped}. Set ${choice.missing.join(", ")} for it; see README "Use the real services".`,
    );
  }
  const stack = await startEmbeddedServices({
    ...options,
    embed: choice.embedded,
    databaseUrl: choice.embedded.has("db") ? undefined : env.DATABASE_URL || LOCAL_DEFAULTS.DATABASE_URL,
  });
  for (const [key, value] of Object.entries(stack.env)) env[key] ||= value;
  for (const [key, value] of Object.entries(REAL_API_BASES)) env[key] ||= value;

  const appPort = options.ports?.app ?? LOCAL_PORTS.app;
  const executor = choice.embedded.has("inngest")
    ? await startExecutor({
        // Syncs the app's /api/inngest as soon as the app answers, and again every few seconds.
        urls: [`http://127.0.0.1:${appPort}/api/inngest`],
        port: options.ports?.inngest ?? LOCAL_PORTS.inngest,
        ...(options.inngestDataDir ? { dataDir: options.inngestDataDir } : { inMemory: true }),
      })
    : undefined;
  return {
    choice,
    stack,
    executor,
    urls: { ...(executor ? { "Inngest executor + dashboard": executor.url } : {}), ...stack.urls },
    async stop() {
      await executor?.stop();
      await stack.stop();
    },
  };
}
