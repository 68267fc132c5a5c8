// Renders a Helm chart the way `helm template` does, for tests on machines without helm: values.yaml
// deep-merged with override files, `.Release`, `.Chart` (from Chart.yaml), `.Values`, `.Capabilities`;
// every file in templates/ (partials, `_*.tpl`, define first), each output split into YAML documents.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { helmFunctions } from "@/testkit/helm/helm-functions";
import { renderNodes, topScope, type Engine } from "@/testkit/helm/template-eval";
import { parseTemplate } from "@/testkit/helm/template-parse";

export interface RenderedManifest {
  template: string;
  object: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> } };
}

const isMap = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === "object" && !Array.isArray(v);

/** Helm's merge: maps merge key by key, anything else (lists too) is replaced; null deletes. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = mergeValues(base[k], v);
  }
  return out;
}

export function renderChart(
  chartDir: string,
  options: { valueFiles?: string[]; values?: Record<string, unknown>; releaseName?: string; namespace?: string } = {},
): RenderedManifest[] {
  const chart = YAML.parse(readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as Record<string, unknown>;
  let values: unknown = YAML.parse(readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
  for (const file of options.valueFiles ?? []) values = mergeValues(values, YAML.parse(readFileSync(file, "utf8")));
  values = mergeValues(values, options.values ?? {});
  const name = options.releaseName ?? "gatehouse";
  const top = {
    Values: values,
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Release: { Name: name, Namespace: options.namespace ?? "default", Service: "Helm", IsInstall: true, IsUpgrade: false },
    Capabilities: { KubeVersion: { Version: "v1.31.0", Major: "1", Minor: "31" } },
    Template: { BasePath: `${chart.name}/templates` },
  };

  const engine: Engine = { defines: new Map(), funcs: {} };
  engine.funcs = helmFunctions(engine);
  const dir = path.join(chartDir, "templates");
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|tpl)$/.test(f));
  const parsed = files.map((f) => ({ file: f, nodes: parseTemplate(readFileSync(path.join(dir, f), "utf8"), f) }));
  // Partials first, so every define exists before any include.
  for (const p of parsed.filter((p) => p.file.startsWith("_"))) renderNodes(p.nodes, topScope(top), engine);

  const manifests: RenderedManifest[] = [];
  for (const p of parsed.filter((p) => !p.file.startsWith("_"))) {
    const text = renderNodes(
      p.nodes,
      topScope({ ...top, Template: { ...top.Template, Name: `${chart.name}/templates/${p.file}` } }),
      engine,
    );
    for (const doc of YAML.parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`${p.file}: rendered YAML is invalid: ${doc.errors[0]!.message}\n${text}`);
      const object = doc.toJSON() as RenderedManifest["object"] | null;
      if (object) manifests.push({ template: p.file, object });
    }
  }
  return manifests;
}
