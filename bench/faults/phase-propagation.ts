// Phase 2: a change made on one app process (this one, as the admin console would) takes effect on
// replica B, timed by polling B directly, over N trials each: a backend disabled (B stops listing
// it), a static-header secret replaced (B sends the new one), a provider disabled (B refuses calls
// through it). A second GitLab provider and backend (bob's link) take the provider trials, so the
// steady load's own GitLab calls are not refused by design.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, summarizeTrials, timeUntil, type Figure, type PhaseResult, type TrialSummary } from "@/bench/faults/figures";
import { startHeaderRecorder } from "@/bench/faults/header-recorder";
import { connectClient } from "@/bench/faults/load-driver";
import { createBackend } from "@/lib/backends/create-backend";
import { deleteBackend } from "@/lib/backends/delete-backend";
import { setBackendEnabled } from "@/lib/backends/set-backend-enabled";
import { updateBackend } from "@/lib/backends/update-backend";
import { createProvider, updateProvider, type ProviderInput } from "@/lib/providers";

const PATIENCE_MS = 10_000;
const GOAL_MS = 1_000;
const system = { userId: null };

export async function propagationPhase(s: FaultStack, trials: number): Promise<PhaseResult> {
  const from = performance.now();
  const b = s.replicas.find((r) => r.name === "B")!;
  let aliceToken = await s.tokenFor("alice");
  let bobToken = await s.tokenFor("bob");
  const aliceOnB = await connectClient(`${b.url}/api/mcp`, () => aliceToken, "faults-probe-alice");
  const bobOnB = await connectClient(`${b.url}/api/mcp`, () => bobToken, "faults-probe-bob");
  const second = await secondGitLab(s);

  const lists = async (c: Client, prefix: string) => (await c.listTools()).tools.some((t) => t.name.startsWith(prefix));
  // A refusal may come back as a tool error or as a JSON-RPC error (thrown): either is "refused".
  const works = async (c: Client, tool: string) =>
    c.callTool({ name: tool, arguments: {} }).then(
      (r) => !r.isError,
      () => false,
    );
  // A static-key backend of its own ("vault"), behind a recorder of the key each request carried.
  const { headerName, apiKey } = s.world.staticKey;
  const recorder = await startHeaderRecorder({ target: s.world.backends.static.url, headerName, realValue: apiKey });
  const vault = await createBackend(
    { slug: "vault", displayName: "Vault", url: recorder.url, auth: { mode: "static_header", headerName, value: "sk-first" } },
    system,
  );
  const lastKeySent = async () => {
    await aliceOnB.callTool({ name: "vault_whoami", arguments: {} }).catch(() => undefined);
    return recorder.last;
  };

  const disabled: number[] = [];
  const secret: number[] = [];
  const provider: number[] = [];
  for (let i = 0; i < trials; i++) {
    aliceToken = await s.tokenFor("alice");
    bobToken = await s.tokenFor("bob");
    // Backend disabled on A → B stops listing it (then enabled again, untimed).
    await timeUntil(() => lists(aliceOnB, "search_"), PATIENCE_MS);
    await setBackendEnabled(s.backendIds.search, false, system);
    disabled.push(await timeUntil(async () => !(await lists(aliceOnB, "search_")), PATIENCE_MS));
    await setBackendEnabled(s.backendIds.search, true, system);
    await timeUntil(() => lists(aliceOnB, "search_"), PATIENCE_MS);

    // Static-header secret replaced on A → B's next call carries the new one.
    await lastKeySent(); // B holds the current key
    const replaced = `sk-rotated-${i}-${Date.now()}`;
    await updateBackend(vault.id, { auth: { mode: "static_header", headerName, value: replaced } }, system);
    secret.push(await timeUntil(async () => (await lastKeySent()) === replaced, PATIENCE_MS));

    // Provider disabled on A → B refuses calls through it (then enabled again, untimed).
    await timeUntil(() => works(bobOnB, "gitlab2_get_current_user"), PATIENCE_MS);
    await updateProvider(second.providerId, { ...second.input, enabled: false }, system);
    provider.push(await timeUntil(async () => !(await works(bobOnB, "gitlab2_get_current_user")), PATIENCE_MS));
    await updateProvider(second.providerId, { ...second.input, enabled: true }, system);
  }
  await aliceOnB.close();
  await bobOnB.close();
  await deleteBackend(vault.id, system);
  await recorder.close();

  const row = (what: string, x: TrialSummary): Figure => ({
    what: `${what}: p50 ${x.p50Ms} ms, max ${x.maxMs} ms, missed ${x.missed} of ${x.trials}`,
    value: `${x.p99Ms} ms p99`,
    goal: `≤ ${GOAL_MS} ms p99, none missed`,
    met: x.missed === 0 && x.p99Ms <= GOAL_MS,
  });
  const summaries = {
    backendDisabled: summarizeTrials(disabled),
    secretReplaced: summarizeTrials(secret),
    providerDisabled: summarizeTrials(provider),
  };
  const load = s.load.window(from, performance.now());
  return {
    phase: "Propagation between replicas (change on A, effect on B)",
    figures: [
      row("backend disabled → B stops listing it", summaries.backendDisabled),
      row("static-header secret replaced → B sends the new one", summaries.secretReplaced),
      row("provider disabled → B refuses its calls", summaries.providerDisabled),
      failuresFigure(load),
    ],
    load,
    details: summaries,
  };
}

/** A second GitLab provider and linked backend on the same stand-in, with bob linked. */
async function secondGitLab(s: FaultStack): Promise<{ providerId: string; input: ProviderInput }> {
  const input: ProviderInput = {
    kind: "gitlab",
    slug: "gitlab2",
    displayName: "GitLab (second)",
    baseUrl: s.world.gitlab.url,
    clientId: s.world.gitlabApp.clientId,
    clientSecret: s.world.gitlabApp.clientSecret,
    scopes: ["mcp", "read_user"],
  };
  const provider = await createProvider(input, system);
  await createBackend(
    { slug: "gitlab2", displayName: "GitLab two", url: s.world.gitlab.mcpUrl, auth: { mode: "linked_account", providerId: provider.id } },
    system,
  );
  await s.linkGitLab("bob", provider);
  return { providerId: provider.id, input: { ...input, clientSecret: undefined } };
}
