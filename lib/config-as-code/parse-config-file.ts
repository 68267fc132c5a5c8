import { isMap, isPair, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { configFileSchema, type ConfigFile } from "@/lib/config-as-code/file-schema";

export interface ConfigIssue {
  line: number;
  field: string;
  message: string;
}

/** A configuration file that cannot be applied; each issue names its line and field. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((i) => `${file}:${i.line}: ${i.field ? `${i.field} ` : ""}${i.message}`).join("\n"));
  }
}

type Path = readonly PropertyKey[];

/** The YAML node at a path, or the closest ancestor that exists; for an unknown key, that key's own node. */
function nodeAt(root: Node | null, path: Path, key?: string): Node | null {
  let node = root;
  for (const step of path) {
    const next = (node as { get?: (k: unknown, keep: boolean) => unknown } | null)?.get?.(step, true) as Node | undefined;
    if (!next) return node;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return node;
}

const fieldName = (path: Path) =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");

/** Parses and validates a configuration file; a ConfigFileError names the line and field of each problem. */
export function parseConfigFile(text: string, file = "gatehouse.yaml"): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  if (doc.errors.length) {
    throw new ConfigFileError(
      file,
      doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, field: "", message: e.message.split("\n")[0]! })),
    );
  }
  const result = configFileSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue: z.core.$ZodIssue): ConfigIssue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        line: lineOf(nodeAt(doc.contents, issue.path, key)),
        field: fieldName([...issue.path, key]),
        message: "is not a known field",
      }));
    }
    return [{ line: lineOf(nodeAt(doc.contents, issue.path)), field: fieldName(issue.path), message: issue.message }];
  });
  throw new ConfigFileError(
    file,
    issues.sort((a, b) => a.line - b.line),
  );
}
