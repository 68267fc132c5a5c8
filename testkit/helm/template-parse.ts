// Parses the subset of Go's text/template that the Gatehouse chart uses into a tree: text, actions
// (pipelines), if / else if / else, range (with `$i, $v :=`), with, define, and comments, with the
// `{{-` / `-}}` whitespace trimming. Anything else is a parse error, so the chart cannot drift out of
// what this renderer (and so the test) understands. See README "Run on Kubernetes".

export type Token =
  | { t: "field"; path: string[]; attached?: boolean } // .a.b ("." alone: path []); attached: `(x).a`
  | { t: "var"; name: string; path: string[] } // $ or $x, then .a.b
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "nil" }
  | { t: "ident"; name: string }
  | { t: "(" | ")" | "|" | ":=" | "=" | "," };

export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; tokens: Token[] }
  | { kind: "if"; branches: { cond: Token[]; body: Node[] }[]; otherwise: Node[] }
  | { kind: "range"; vars: string[]; expr: Token[]; body: Node[]; otherwise: Node[] }
  | { kind: "with"; expr: Token[]; body: Node[]; otherwise: Node[] }
  | { kind: "define"; name: string; body: Node[] };

const TOKEN =
  /\s+|(\()|(\))|(\|)|(:=)|(=)|(,)|"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?\d+(?:\.\d+)?)|\$(\w*)((?:\.\w+)*)|((?:\.\w+)+|\.)|([A-Za-z_]\w*)/y;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`template: cannot read "${src.slice(at)}"`);
    if (m[1]) out.push({ t: "(" });
    else if (m[2]) out.push({ t: ")" });
    else if (m[3]) out.push({ t: "|" });
    else if (m[4]) out.push({ t: ":=" });
    else if (m[5]) out.push({ t: "=" });
    else if (m[6]) out.push({ t: "," });
    else if (m[7] !== undefined) out.push({ t: "str", v: JSON.parse(`"${m[7]}"`) as string });
    else if (m[8] !== undefined) out.push({ t: "str", v: m[8] });
    else if (m[9]) out.push({ t: "num", v: Number(m[9]) });
    else if (m[10] !== undefined) out.push({ t: "var", name: m[10], path: m[11]!.split(".").filter(Boolean) });
    else if (m[12]) out.push({ t: "field", path: m[12].split(".").filter(Boolean), attached: src[at - 1] === ")" });
    else if (m[13]) {
      const name = m[13];
      if (name === "true" || name === "false") out.push({ t: "bool", v: name === "true" });
      else if (name === "nil") out.push({ t: "nil" });
      else out.push({ t: "ident", name });
    }
  }
  return out;
}

interface Frame {
  node: Node & { kind: "if" | "range" | "with" | "define" };
  /** Where new nodes go: the open branch's body, or `otherwise` after {{else}}. */
  into: Node[];
}

export function parseTemplate(src: string, name: string): Node[] {
  const root: Node[] = [];
  const stack: Frame[] = [];
  const target = () => (stack.length ? stack[stack.length - 1]!.into : root);
  const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = ACTION.exec(src); m; m = ACTION.exec(src)) {
    let text = src.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (m[1]) text = text.replace(/\s+$/, "");
    if (text) target().push({ kind: "text", text });
    last = ACTION.lastIndex;
    trimNext = Boolean(m[3]);
    const body = m[2]!.trim();
    if (body.startsWith("/*")) continue;
    const [word, ...rest] = body.split(/\s+/);
    const restText = body.slice(word!.length);
    if (word === "if" || word === "with") {
      const node: Node =
        word === "if"
          ? { kind: "if", branches: [{ cond: tokenize(restText), body: [] }], otherwise: [] }
          : { kind: "with", expr: tokenize(restText), body: [], otherwise: [] };
      target().push(node);
      stack.push({ node, into: node.kind === "if" ? node.branches[0]!.body : node.body });
    } else if (word === "range") {
      const decl = /^\s*(\$\w+)(?:\s*,\s*(\$\w+))?\s*:=([\s\S]*)$/.exec(restText);
      const vars = decl ? [decl[1]!, decl[2]].filter((v): v is string => Boolean(v)).map((v) => v.slice(1)) : [];
      const node: Node = { kind: "range", vars, expr: tokenize(decl ? decl[3]! : restText), body: [], otherwise: [] };
      target().push(node);
      stack.push({ node, into: node.body });
    } else if (word === "define") {
      const node: Node = { kind: "define", name: JSON.parse(rest.join(" ")) as string, body: [] };
      target().push(node);
      stack.push({ node, into: node.body });
    } else if (word === "else") {
      const frame = stack[stack.length - 1];
      if (!frame || frame.node.kind === "define") throw new Error(`${name}: {{else}} outside if/range/with`);
      if (rest[0] === "if" && frame.node.kind === "if") {
        const branch = { cond: tokenize(restText.replace(/^\s*if/, "")), body: [] as Node[] };
        frame.node.branches.push(branch);
        frame.into = branch.body;
      } else frame.into = frame.node.otherwise;
    } else if (word === "end") {
      if (!stack.pop()) throw new Error(`${name}: unexpected {{end}}`);
    } else if (["template", "block", "break", "continue"].includes(word!)) {
      throw new Error(`${name}: {{${word}}} is outside the supported subset (use include)`);
    } else {
      target().push({ kind: "action", tokens: tokenize(body) });
    }
  }
  if (stack.length) throw new Error(`${name}: unclosed {{${stack[stack.length - 1]!.node.kind}}}`);
  let text = src.slice(last);
  if (trimNext) text = text.replace(/^\s+/, "");
  if (text) root.push({ kind: "text", text });
  return root;
}
