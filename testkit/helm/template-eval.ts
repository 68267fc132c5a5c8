// Evaluates a parsed template (template-parse.ts) against Helm's top-level object. Go's rules that
// matter to a chart: a missing field is nil and prints as nothing, truthiness (false, 0, nil and empty
// strings, lists and maps are false), `$` is the top-level object, a pipe passes its value as the last
// argument of the next function, `range` over lists and maps (maps in key order), `with` rebinds dot.
import type { Node, Token } from "@/testkit/helm/template-parse";

export type Fn = (...args: unknown[]) => unknown;

export interface Engine {
  defines: Map<string, Node[]>;
  funcs: Record<string, Fn>;
}

interface Scope {
  dot: unknown;
  root: unknown;
  vars: Map<string, unknown>;
  parent?: Scope;
}

export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

function select(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "object") throw new Error(`can't evaluate field ${key} in type ${typeof v}`);
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function lookupVar(scope: Scope, name: string): unknown {
  if (name === "") return scope.root;
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
  throw new Error(`undefined variable "$${name}"`);
}

function operand(tokens: Token[], scope: Scope, engine: Engine): unknown {
  const tok = tokens.shift()!;
  switch (tok.t) {
    case "field":
      return select(scope.dot, tok.path);
    case "var":
      return select(lookupVar(scope, tok.name), tok.path);
    case "str":
    case "num":
    case "bool":
      return tok.v;
    case "nil":
      return null;
    case "(": {
      const v = pipeline(tokens, scope, engine);
      if (tokens.shift()?.t !== ")") throw new Error("unclosed (");
      const next = tokens[0];
      if (next?.t === "field" && next.attached && next.path.length) return select(v, (tokens.shift() as { path: string[] }).path);
      return v;
    }
    case "ident":
      return callFn(tok.name, [], engine);
    default:
      throw new Error(`unexpected "${tok.t}"`);
  }
}

function callFn(name: string, args: unknown[], engine: Engine): unknown {
  const fn = engine.funcs[name];
  if (!fn) throw new Error(`function "${name}" not defined (not in the supported subset)`);
  return fn(...args);
}

const ends = (tok: Token | undefined) => !tok || tok.t === "|" || tok.t === ")";

function command(tokens: Token[], scope: Scope, engine: Engine, piped: unknown[]): unknown {
  const head = tokens[0]!;
  if (head.t !== "ident") {
    if (piped.length) throw new Error("can't pipe a value into a non-function");
    return operand(tokens, scope, engine);
  }
  tokens.shift();
  const args: unknown[] = [];
  while (!ends(tokens[0])) args.push(operand(tokens, scope, engine));
  return callFn(head.name, [...args, ...piped], engine);
}

export function pipeline(tokens: Token[], scope: Scope, engine: Engine): unknown {
  if (tokens[0]?.t === "var" && (tokens[1]?.t === ":=" || tokens[1]?.t === "=")) {
    const name = (tokens.shift() as { name: string }).name;
    const op = tokens.shift()!.t;
    const value = pipeline(tokens, scope, engine);
    if (op === ":=") scope.vars.set(name, value);
    else {
      let s: Scope | undefined = scope;
      while (s && !s.vars.has(name)) s = s.parent;
      if (!s) throw new Error(`undefined variable "$${name}"`);
      s.vars.set(name, value);
    }
    return undefined;
  }
  let value = command(tokens, scope, engine, []);
  while (tokens[0]?.t === "|") {
    tokens.shift();
    value = command(tokens, scope, engine, [value]);
  }
  return value;
}

const evaluate = (tokens: Token[], scope: Scope, engine: Engine) => pipeline([...tokens], scope, engine);
const child = (scope: Scope, dot: unknown): Scope => ({ dot, root: scope.root, vars: new Map(), parent: scope });

function print(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") throw new Error(`cannot print a ${Array.isArray(v) ? "list" : "map"}: pipe it through toYaml`);
  return String(v);
}

export function renderNodes(nodes: Node[], scope: Scope, engine: Engine): string {
  let out = "";
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out += node.text;
        break;
      case "define":
        engine.defines.set(node.name, node.body);
        break;
      case "action":
        out += print(evaluate(node.tokens, scope, engine));
        break;
      case "if": {
        const inner = child(scope, scope.dot);
        const hit = node.branches.find((b) => isTruthy(evaluate(b.cond, inner, engine)));
        out += renderNodes(hit ? hit.body : node.otherwise, inner, engine);
        break;
      }
      case "with": {
        const v = evaluate(node.expr, child(scope, scope.dot), engine);
        out += isTruthy(v) ? renderNodes(node.body, child(scope, v), engine) : renderNodes(node.otherwise, child(scope, scope.dot), engine);
        break;
      }
      case "range": {
        const v = evaluate(node.expr, child(scope, scope.dot), engine);
        const entries: [unknown, unknown][] = Array.isArray(v)
          ? v.map((x, i) => [i, x])
          : v && typeof v === "object"
            ? Object.keys(v)
                .sort()
                .map((k) => [k, (v as Record<string, unknown>)[k]])
            : [];
        if (!entries.length) out += renderNodes(node.otherwise, child(scope, scope.dot), engine);
        for (const [key, item] of entries) {
          const inner = child(scope, item);
          if (node.vars.length === 1) inner.vars.set(node.vars[0]!, item);
          if (node.vars.length === 2) inner.vars.set(node.vars[0]!, key).set(node.vars[1]!, item);
          out += renderNodes(node.body, inner, engine);
        }
        break;
      }
    }
  }
  return out;
}

export function topScope(root: unknown, dot: unknown = root): Scope {
  return { dot, root, vars: new Map() };
}
