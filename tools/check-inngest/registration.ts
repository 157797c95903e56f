import ts from "typescript";
import type { ModuleResolver } from "./module-resolution";
import { lineOf, unwrap, type FunctionSite, type ProjectScan, type SourceFileInfo } from "./project-scan";

export interface Registration {
  /** createFunction calls reached from serve()'s `functions`, with the name their module exports them under. */
  sites: Array<{ site: FunctionSite; file: string; exportName: string | null }>;
  /** Exported values the source cannot see into (e.g. `Object.values(all)`); importing them tells. */
  opaque: Array<{ file: string; exportName: string }>;
  /** Expressions that could not be followed at all (a package import, a call in the route itself). */
  unresolved: Array<{ file: string; line: number; text: string }>;
}

/**
 * Follows the `functions` passed to each serve() call through array literals, spreads, constants, imports,
 * re-exports and tsconfig path aliases, to the createFunction calls they name.
 */
export function registrationOf(scan: ProjectScan, resolver: ModuleResolver): Registration {
  const registration: Registration = { sites: [], opaque: [], unresolved: [] };
  const byAbsolutePath = new Map(scan.files.map((info) => [info.absolutePath, info]));
  const visited = new Set<string>();

  const bindingTarget = (
    info: SourceFileInfo,
    name: string,
    depth = 0,
  ): { info: SourceFileInfo; local: string; exportName: string | null } | null => {
    const imported = info.imports.get(name);
    if (!imported)
      return { info, local: name, exportName: [...info.exports].find(([, local]) => local === name)?.[0] ?? null };
    const targetPath = resolver.resolve(imported.specifier, info.absolutePath);
    const target = targetPath ? byAbsolutePath.get(targetPath) : undefined;
    if (!target || depth > 20) return null;
    const local = target.exports.get(imported.imported) ?? imported.imported;
    // A re-export (`export { x } from "./y"`) continues in the module it names.
    if (target.imports.has(local)) return bindingTarget(target, local, depth + 1);
    return { info: target, local, exportName: imported.imported };
  };

  const follow = (expression: ts.Expression, info: SourceFileInfo) => {
    const node = unwrap(expression);
    if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) follow(ts.isSpreadElement(element) ? element.expression : element, info);
      return;
    }
    if (ts.isIdentifier(node)) {
      const target = bindingTarget(info, node.text);
      if (!target)
        return registration.unresolved.push({
          file: info.path,
          line: lineOf(info.source, node),
          text: node.getText(info.source),
        });
      const key = `${target.info.path}#${target.local}`;
      if (visited.has(key)) return;
      visited.add(key);
      const site = scan.functions.find((fn) => fn.file === target.info.path && fn.binding === target.local);
      if (site) return registration.sites.push({ site, file: target.info.path, exportName: target.exportName });
      const value = target.info.constants.get(target.local);
      if (value && (ts.isArrayLiteralExpression(value) || ts.isIdentifier(value))) return follow(value, target.info);
      if (target.exportName) return registration.opaque.push({ file: target.info.path, exportName: target.exportName });
    }
    registration.unresolved.push({ file: info.path, line: lineOf(info.source, node), text: node.getText(info.source) });
  };

  for (const call of scan.serveCalls) {
    const info = scan.files.find((file) => file.path === call.file)!;
    if (call.functionsArg) follow(call.functionsArg, info);
  }
  return registration;
}
