import { existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Resolves import specifiers the way the project's own TypeScript does, so `~/inngest/client` style aliases from
 * its tsconfig `paths` lead to the same files the bundler would load.
 */
export interface ModuleResolver {
  /** The tsconfig.json used, or null when the project has none. */
  tsconfig: string | null;
  /** Absolute path of the file `specifier` names when imported from `fromFile`; null for packages or unknown files. */
  resolve(specifier: string, fromFile: string): string | null;
}

export function createModuleResolver(root: string): ModuleResolver {
  const tsconfig = path.join(root, "tsconfig.json");
  const hasTsconfig = existsSync(tsconfig);
  const options: ts.CompilerOptions = hasTsconfig ? readCompilerOptions(tsconfig) : {};
  // Resolution needs only module settings; a project written for Node 16 resolution would still find its files.
  const resolutionOptions: ts.CompilerOptions = {
    ...options,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    allowJs: true,
  };
  // Without paths of its own, a Remix project means `~/` as app/ (the Remix templates' alias).
  if (!options.paths) Object.assign(resolutionOptions, { baseUrl: root, paths: { "~/*": ["./app/*"] } });
  return {
    tsconfig: hasTsconfig ? tsconfig : null,
    resolve(specifier, fromFile) {
      const resolved = ts.resolveModuleName(specifier, fromFile, resolutionOptions, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) return null;
      return path.resolve(resolved.resolvedFileName);
    },
  };
}

function readCompilerOptions(tsconfig: string): ts.CompilerOptions {
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) return {};
  // Only compiler options matter (with any `extends` applied); listing the project's files is skipped on purpose.
  const host: ts.ParseConfigHost = {
    ...ts.sys,
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
  };
  return ts.parseJsonConfigFileContent(read.config, host, path.dirname(tsconfig)).options;
}
