// The Sprig/Helm functions the Gatehouse chart may use, implemented as Helm documents them. Keeping
// the chart to this list is what lets the tests render it without helm (README "Run on Kubernetes").
import { createHash } from "node:crypto";
import YAML from "yaml";
import { isTruthy, renderNodes, topScope, type Engine, type Fn } from "@/testkit/helm/template-eval";
import { parseTemplate } from "@/testkit/helm/template-parse";

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));
const indentLines = (n: number, s: unknown) =>
  str(s)
    .split("\n")
    .map((line) => " ".repeat(n) + line)
    .join("\n");

/** Go's fmt verbs the chart uses: %s, %d, %v and %%. */
function printf(format: unknown, ...args: unknown[]): string {
  let i = 0;
  return str(format).replace(/%[sdv%]/g, (verb) => (verb === "%%" ? "%" : str(args[i++])));
}

export class TemplateFailure extends Error {}

export function helmFunctions(engine: Engine): Record<string, Fn> {
  const include = (name: unknown, ctx: unknown) => {
    const body = engine.defines.get(str(name));
    if (!body) throw new Error(`include: no template named "${str(name)}"`);
    return renderNodes(body, topScope(ctx), engine);
  };
  return {
    include,
    // tpl renders a string as a template with the given context (used for values that hold templates).
    tpl: (text, ctx) => renderNodes(parseTemplate(str(text), "tpl"), topScope(ctx), engine),
    toYaml: (v) => (v === null || v === undefined ? "" : YAML.stringify(v, { lineWidth: 0 }).replace(/\n$/, "")),
    nindent: (n, s) => "\n" + indentLines(Number(n), s),
    indent: (n, s) => indentLines(Number(n), s),
    default: (fallback, v) => (isTruthy(v) ? v : fallback),
    quote: (...vs) => vs.map((v) => JSON.stringify(str(v))).join(" "),
    required: (message, v) => {
      if (v === null || v === undefined || v === "") throw new TemplateFailure(str(message));
      return v;
    },
    fail: (message) => {
      throw new TemplateFailure(str(message));
    },
    printf: printf as Fn,
    trunc: (n, s) => str(s).slice(0, Number(n)),
    trimSuffix: (suffix, s) => (str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s)),
    toString: str,
    int: (v) => Math.trunc(Number(v)),
    b64enc: (v) => Buffer.from(str(v)).toString("base64"),
    sha256sum: (v) => createHash("sha256").update(str(v)).digest("hex"),
    empty: (v) => !isTruthy(v),
    not: (v) => !isTruthy(v),
    and: (...vs) => vs.reduce((a, b) => (isTruthy(a) ? b : a)),
    or: (...vs) => vs.reduce((a, b) => (isTruthy(a) ? a : b)),
    eq: (a, ...bs) => bs.some((b) => a === b),
    ne: (a, b) => a !== b,
    gt: (a, b) => Number(a) > Number(b),
    lt: (a, b) => Number(a) < Number(b),
  };
}
