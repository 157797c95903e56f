import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A createFunction call as the source shows it, v4 `(options, handler)` or v3 `(options, trigger, handler)`. */
export interface FunctionSite {
  file: string;
  line: number;
  /** The variable it is assigned to, "default" for `export default`, null when it is not bound to a name. */
  binding: string | null;
  options: ts.ObjectLiteralExpression | null;
  /** v4 `triggers: [...]` elements, or v3's second argument (one trigger or an array). */
  triggers: ts.Expression[];
  /** The handler and, when given, the `onFailure` handler: everything that runs inside the function. */
  bodies: ts.Node[];
  /** The id when the source spells it out (a string, or a same-file string constant). */
  id: string | null;
  source: ts.SourceFile;
}

export type StepMethod = "run" | "sleep" | "sleepUntil" | "waitForEvent" | "waitForSignal" | "sendEvent" | "invoke";

export interface StepCall {
  file: string;
  line: number;
  method: StepMethod;
  args: readonly ts.Expression[];
}

/** A duration the SDK parses with `ms`: step.sleep's argument or a `timeout` of waitForEvent/invoke/cancelOn. */
export interface DurationSite {
  file: string;
  line: number;
  /** Where it is used, for messages: "step.sleep", "step.waitForEvent timeout", "cancelOn timeout". */
  usage: string;
  value: string | number;
}

/** An event sent as an object literal with a literal name: `inngest.send({ name: "a/b" })` or `step.sendEvent`. */
export interface SendSite {
  file: string;
  line: number;
  name: string;
  via: string;
}

export interface ServeCall {
  file: string;
  line: number;
  /** The `functions` option passed to serve(), null when serve's options are not an object literal. */
  functionsArg: ts.Expression | null;
}

export interface SourceFileInfo {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  absolutePath: string;
  source: ts.SourceFile;
  /** Local name → where it is imported from. */
  imports: Map<string, { specifier: string; imported: string }>;
  /** Exported name → local name (`export { handler as loader }` maps loader → handler). */
  exports: Map<string, string>;
  /** Top-level `const x = ...` initializers, to follow arrays of functions and string constants. */
  constants: Map<string, ts.Expression>;
}

export interface ProjectScan {
  root: string;
  files: SourceFileInfo[];
  functions: FunctionSite[];
  steps: StepCall[];
  durations: DurationSite[];
  sends: SendSite[];
  serveCalls: ServeCall[];
  clients: Array<{ file: string; line: number; variable: string | null; options: ts.ObjectLiteralExpression | null }>;
  /** Variable name → event name, for every `const x = eventType("name", ...)`. */
  eventTypes: Map<string, string>;
  importsInngest: boolean;
}

const SKIPPED_DIRECTORIES = new Set(["node_modules", "build", "dist", "public"]);
const STEP_METHODS = new Set<string>([
  "run",
  "sleep",
  "sleepUntil",
  "waitForEvent",
  "waitForSignal",
  "sendEvent",
  "invoke",
]);

export const lineOf = (source: ts.SourceFile, node: ts.Node) =>
  source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

export function stringValue(node: ts.Node | undefined): string | null {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return null;
}

export function property(object: ts.Node | null | undefined, name: string): ts.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const prop of object.properties) {
    if (
      ts.isPropertyAssignment(prop) &&
      (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) &&
      prop.name.text === name
    )
      return prop.initializer;
    if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === name) return prop.name;
    if (ts.isMethodDeclaration(prop) && ts.isIdentifier(prop.name) && prop.name.text === name)
      return prop as unknown as ts.Expression;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIPPED_DIRECTORIES.has(entry) || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js|jsx|mjs|mts)$/.test(entry) && !/\.(test|spec)\./.test(entry) && !/\.d\.m?ts$/.test(entry))
      out.push(full);
  }
  return out;
}

/**
 * Reads every source file of the app (`app/`, else `src/`, else the whole project) with the TypeScript parser and
 * collects what the checks need. Nothing is type-checked or executed here.
 */
export function scanProject(root: string): ProjectScan {
  const base =
    ["app", "src"]
      .map((dir) => path.join(root, dir))
      .find((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory()) ?? root;
  const scan: ProjectScan = {
    root,
    files: [],
    functions: [],
    steps: [],
    durations: [],
    sends: [],
    serveCalls: [],
    clients: [],
    eventTypes: new Map(),
    importsInngest: false,
  };
  for (const absolutePath of sourceFiles(base)) {
    const text = readFileSync(absolutePath, "utf8");
    const kind = /x$/.test(absolutePath)
      ? ts.ScriptKind.TSX
      : /\.m?js$/.test(absolutePath)
        ? ts.ScriptKind.JS
        : ts.ScriptKind.TS;
    const source = ts.createSourceFile(absolutePath, text, ts.ScriptTarget.Latest, true, kind);
    const info: SourceFileInfo = {
      path: path.relative(root, absolutePath).split(path.sep).join("/"),
      absolutePath,
      source,
      imports: new Map(),
      exports: new Map(),
      constants: new Map(),
    };
    scan.files.push(info);
    readTopLevel(info, scan);
    visit(source, info, scan);
  }
  const clientNames = new Set(scan.clients.map((client) => client.variable ?? "inngest"));
  scan.sends = scan.sends.filter(
    (send) => send.via === "step.sendEvent" || clientNames.has(send.via.replace(/\.send$/, "")),
  );
  return scan;
}

/** Imports, exports and top-level constants of one file. */
function readTopLevel(info: SourceFileInfo, scan: ProjectScan) {
  for (const statement of info.source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      if (specifier === "inngest" || specifier.startsWith("inngest/")) scan.importsInngest = true;
      const clause = statement.importClause;
      if (clause?.name) info.imports.set(clause.name.text, { specifier, imported: "default" });
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements)
          info.imports.set(element.name.text, { specifier, imported: (element.propertyName ?? element.name).text });
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        const local = (element.propertyName ?? element.name).text;
        info.exports.set(element.name.text, local);
        // `export { x } from "./y"` re-exports an import.
        if (statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier))
          info.imports.set(local, { specifier: statement.moduleSpecifier.text, imported: local });
      }
    } else if (ts.isExportAssignment(statement)) {
      info.exports.set("default", ts.isIdentifier(statement.expression) ? statement.expression.text : "default");
    } else if (ts.isVariableStatement(statement)) {
      const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        if (exported) info.exports.set(declaration.name.text, declaration.name.text);
        if (declaration.initializer) info.constants.set(declaration.name.text, unwrap(declaration.initializer));
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
        info.exports.set(statement.name.text, statement.name.text);
    }
  }
}

/** Strips `as`, `satisfies`, `!` and parentheses, which do not change what a value is. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isParenthesizedExpression(current)
  )
    current = current.expression;
  return current;
}

function visit(node: ts.Node, info: SourceFileInfo, scan: ProjectScan) {
  const { source, path: file } = info;
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "";
    const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : null;
    if (name === "createFunction" && receiver) {
      const site = functionSite(node, info);
      scan.functions.push(site);
      const cancelOn = property(site.options, "cancelOn");
      if (cancelOn && ts.isArrayLiteralExpression(unwrap(cancelOn))) {
        for (const cancel of (unwrap(cancelOn) as ts.ArrayLiteralExpression).elements) {
          const timeout = property(unwrap(cancel as ts.Expression), "timeout");
          if (timeout) recordDuration(timeout, "cancelOn timeout", info, scan);
        }
      }
    } else if (
      name === "serve" &&
      ts.isIdentifier(callee) &&
      info.imports.get("serve")?.specifier.startsWith("inngest")
    ) {
      const options = node.arguments[0] && unwrap(node.arguments[0]);
      scan.serveCalls.push({
        file,
        line: lineOf(source, node),
        functionsArg:
          options && ts.isObjectLiteralExpression(options) ? (property(options, "functions") ?? null) : null,
      });
    } else if (
      name === "eventType" &&
      ts.isIdentifier(callee) &&
      ts.isVariableDeclaration(node.parent) &&
      ts.isIdentifier(node.parent.name)
    ) {
      const eventName = stringValue(node.arguments[0]);
      if (eventName) scan.eventTypes.set(node.parent.name.text, eventName);
    } else if (receiver && ts.isIdentifier(receiver) && receiver.text === "step" && STEP_METHODS.has(name)) {
      recordStep(node, name as StepMethod, info, scan);
    } else if (name === "send" && receiver && ts.isIdentifier(receiver)) {
      // Kept only if the receiver turns out to be an Inngest client (see scanProject); emails and sockets send too.
      recordSends(node.arguments[0], `${receiver.text}.send`, info, scan);
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Inngest") {
    const options = node.arguments?.[0];
    const variable =
      ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : null;
    scan.clients.push({
      file,
      line: lineOf(source, node),
      variable,
      options: options && ts.isObjectLiteralExpression(options) ? options : null,
    });
  }
  ts.forEachChild(node, (child) => visit(child, info, scan));
}

function recordStep(node: ts.CallExpression, method: StepMethod, info: SourceFileInfo, scan: ProjectScan) {
  const { source, path: file } = info;
  const line = lineOf(source, node);
  scan.steps.push({ file, line, method, args: node.arguments });
  const second = node.arguments[1] && unwrap(node.arguments[1]);
  if (method === "sleep" && second) recordDuration(second, "step.sleep", info, scan);
  if ((method === "waitForEvent" || method === "invoke" || method === "waitForSignal") && second) {
    const timeout = property(second, "timeout");
    if (timeout) recordDuration(timeout, `step.${method} timeout`, info, scan);
  }
  if (method === "sendEvent") recordSends(node.arguments[1], "step.sendEvent", info, scan);
}

function recordDuration(node: ts.Expression, usage: string, info: SourceFileInfo, scan: ProjectScan) {
  const resolved = resolveConstant(unwrap(node), info);
  const at = { file: info.path, line: lineOf(info.source, node), usage };
  const text = stringValue(resolved);
  if (text !== null) scan.durations.push({ ...at, value: text });
  else if (ts.isNumericLiteral(resolved)) scan.durations.push({ ...at, value: Number(resolved.text) });
}

/** A same-file `const X = "..."` stands for its value; anything else is left as written. */
function resolveConstant(node: ts.Expression, info: SourceFileInfo): ts.Expression {
  if (ts.isIdentifier(node)) {
    const value = info.constants.get(node.text);
    if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) || ts.isNumericLiteral(value)))
      return value;
  }
  return node;
}

function recordSends(payload: ts.Expression | undefined, via: string, info: SourceFileInfo, scan: ProjectScan) {
  if (!payload) return;
  const value = unwrap(payload);
  const events = ts.isArrayLiteralExpression(value) ? value.elements : [value];
  for (const event of events) {
    const name = stringValue(property(unwrap(event as ts.Expression), "name"));
    if (name !== null) scan.sends.push({ file: info.path, line: lineOf(info.source, event), name, via });
  }
}

function functionSite(call: ts.CallExpression, info: SourceFileInfo): FunctionSite {
  const [first, second, third] = call.arguments.map(unwrap);
  const options = first && ts.isObjectLiteralExpression(first) ? first : null;
  const isV3 = call.arguments.length >= 3;
  const v4Triggers = property(options, "triggers");
  const triggerList = isV3 ? second : v4Triggers && unwrap(v4Triggers);
  const triggers = !triggerList
    ? []
    : ts.isArrayLiteralExpression(triggerList)
      ? triggerList.elements.map(unwrap)
      : [triggerList];
  const handler = isV3 ? third : second;
  const onFailure = property(options, "onFailure");
  const idNode = property(options, "id");
  return {
    file: info.path,
    line: lineOf(info.source, call),
    binding: bindingOf(call, info),
    options,
    triggers,
    bodies: [handler, onFailure].filter((node): node is ts.Expression => node !== undefined),
    id: idNode ? stringValue(resolveConstant(unwrap(idNode), info)) : null,
    source: info.source,
  };
}

/** The name a createFunction result is reachable by from other modules: its variable, or "default". */
function bindingOf(call: ts.CallExpression, info: SourceFileInfo): string | null {
  let node: ts.Node = call;
  while (
    ts.isAsExpression(node.parent) ||
    ts.isSatisfiesExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent)
  )
    node = node.parent;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
    const local = node.parent.name.text;
    const exported = [...info.exports].find(([, name]) => name === local)?.[0];
    return exported === "default" ? "default" : local;
  }
  if (ts.isExportAssignment(node.parent)) return "default";
  return null;
}
