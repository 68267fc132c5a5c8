// The Helm chart, rendered without helm (testkit/helm: Go templates and the chart's Sprig subset) and
// every manifest checked against the Kubernetes API schemas shipped in kubernetes-models.
import path from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { renderChart, type RenderedManifest } from "@/testkit/helm/render-chart";

const chart = path.join(import.meta.dirname, "gatehouse");
const required = {
  appUrl: "https://gatehouse.example.com",
  keycloak: { issuer: "https://keycloak.example.com/realms/company", clientId: "gatehouse" },
  database: { url: "postgresql://gatehouse:pw@postgres:5432/gatehouse" },
  secrets: {
    gatehouseKeys: "k1:AAAA",
    authSecret: "s".repeat(32),
    keycloakClientSecret: "kc-secret",
    extra: { GITLAB_CLIENT_SECRET: "gl" },
  },
};

const models: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/Job": Job,
  "networking.k8s.io/v1/Ingress": Ingress,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
};

function validateAll(manifests: RenderedManifest[]) {
  for (const { template, object } of manifests) {
    const Model = models[`${object.apiVersion}/${object.kind}`];
    if (!Model) throw new Error(`${template}: no schema for ${object.apiVersion} ${object.kind}`);
    expect(() => new Model(object as never).validate(), `${template} ${object.kind}`).not.toThrow();
  }
}

const find = (manifests: RenderedManifest[], kind: string) => manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
type Container = { name: string; env: { name: string; value?: string; valueFrom?: unknown }[]; [k: string]: unknown };
const podSpec = (o: Record<string, unknown>) =>
  (o as { spec: { template: { spec: { containers: Container[]; volumes: unknown[]; securityContext: Record<string, unknown> } } } }).spec
    .template.spec;

describe("the Helm chart", () => {
  it("an operator installs with the default values: every manifest is valid Kubernetes", () => {
    const manifests = renderChart(chart, { values: required });
    validateAll(manifests);
    expect(manifests.map((m) => m.object.kind).sort()).toEqual(["Deployment", "Job", "Secret", "Secret", "Service", "ServiceAccount"]);

    const deployment = find(manifests, "Deployment")[0]!;
    const pod = podSpec(deployment);
    const app = pod.containers[0]!;
    expect(app.livenessProbe).toMatchObject({ httpGet: { path: "/api/health/live", port: "http" } });
    expect(app.readinessProbe).toMatchObject({ httpGet: { path: "/api/health/ready", port: "http" } });
    expect(app.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(app.resources).toEqual({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "768Mi" } });
    // The database URL comes from a Secret, never a plain value.
    expect(app.env.find((e) => e.name === "DATABASE_URL")).toEqual({
      name: "DATABASE_URL",
      valueFrom: { secretKeyRef: { name: "gatehouse-database", key: "DATABASE_URL" } },
    });
    expect(app.env.find((e) => e.name === "APP_URL")?.value).toBe("https://gatehouse.example.com");

    const secret = find(manifests, "Secret").find((s) => (s.metadata as { name: string }).name === "gatehouse")!;
    expect(secret.stringData).toMatchObject({ KEYCLOAK_CLIENT_SECRET: "kc-secret", GITLAB_CLIENT_SECRET: "gl" });

    const job = find(manifests, "Job")[0]!;
    expect(job.metadata.annotations?.["helm.sh/hook"]).toBe("post-install,pre-upgrade");
    expect(podSpec(job).containers[0]!.command).toEqual(["node", "--import", "tsx", "scripts/db-migrate.ts"]);
    // The migration pod must not be selected by the Service.
    const selector = (find(manifests, "Service")[0]!.spec as { selector: Record<string, string> }).selector;
    const jobLabels = (job as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata
      .labels;
    expect(Object.entries(selector).every(([k, v]) => jobLabels[k] === v)).toBe(false);
  });

  it("an operator installs the HA values: autoscaled, spread, with a disruption budget and an ingress", () => {
    const manifests = renderChart(chart, { valueFiles: [path.join(chart, "values-ha.yaml")], values: required, releaseName: "gh" });
    validateAll(manifests);
    const kinds = manifests.map((m) => m.object.kind);
    expect(kinds).toEqual(expect.arrayContaining(["HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress"]));
    const deployment = find(manifests, "Deployment")[0]!;
    expect((deployment.metadata as { name: string }).name).toBe("gh-gatehouse");
    expect((deployment.spec as { replicas?: number }).replicas).toBeUndefined();
    expect((find(manifests, "HorizontalPodAutoscaler")[0]!.spec as { minReplicas: number }).minReplicas).toBe(3);
    expect(podSpec(deployment)).toHaveProperty("topologySpreadConstraints");
  });

  it("an operator runs three fixed replicas: they get a disruption budget but no autoscaler", () => {
    const manifests = renderChart(chart, { values: { ...required, replicaCount: 3 } });
    validateAll(manifests);
    expect(find(manifests, "PodDisruptionBudget")).toHaveLength(1);
    expect(find(manifests, "HorizontalPodAutoscaler")).toEqual([]);
    expect((find(manifests, "Deployment")[0]!.spec as { replicas: number }).replicas).toBe(3);
  });

  it("an operator keeps secrets in existing Secrets: the chart creates none", () => {
    const manifests = renderChart(chart, {
      values: {
        ...required,
        secrets: { existingSecret: "gatehouse-prod" },
        database: { existingSecret: "pg-app", existingSecretKey: "uri" },
      },
    });
    validateAll(manifests);
    expect(find(manifests, "Secret")).toEqual([]);
    const app = podSpec(find(manifests, "Deployment")[0]!).containers[0]!;
    expect(app.envFrom).toEqual([{ secretRef: { name: "gatehouse-prod" } }]);
    expect(app.env.find((e) => e.name === "DATABASE_URL")?.valueFrom).toEqual({ secretKeyRef: { name: "pg-app", key: "uri" } });
  });

  it("an operator who forgot the database URL is told which value is missing", () => {
    expect(() => renderChart(chart, { values: { ...required, database: { url: "" } } })).toThrow(/database\.url is required/);
  });

  it("an operator who forgot the keyring or appUrl is told which value is missing", () => {
    expect(() => renderChart(chart, { values: { ...required, secrets: { ...required.secrets, gatehouseKeys: "" } } })).toThrow(
      /secrets\.gatehouseKeys is required/,
    );
    expect(() => renderChart(chart, { values: { ...required, appUrl: "" } })).toThrow(/appUrl is required/);
  });

  it("a manifest that breaks the Kubernetes schema is caught", () => {
    const manifests = renderChart(chart, { values: { ...required, service: { type: "ClusterIP", port: "eighty" } } });
    expect(() => validateAll(manifests)).toThrow();
  });
});
