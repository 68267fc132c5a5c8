// Handshake sessions' resource subscriptions as replicas on one bus see them: a subscription made
// through one is known to the others, a replica started later learns a session's subscriptions when
// its stream opens there, and a session can hold only so many.
import { afterEach, describe, expect, it } from "vitest";
import { ResourceSubscriptions } from "@/gateway/methods/resource-subscriptions";
import type { Bus } from "@/lib/bus/bus";
import { createInProcessBus } from "@/lib/bus/in-process-bus";

const registries: ResourceSubscriptions[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));

const replicaOn = (bus: Bus) => {
  const registry = new ResourceSubscriptions(bus);
  registries.push(registry);
  return registry;
};
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};
const session = ResourceSubscriptions.keyOf("a-signed-session-id");

describe("[gateway] resource subscriptions across replicas", () => {
  it("a subscription made through one replica is known to the others, and so is its end", async () => {
    const bus = createInProcessBus();
    const [a, b] = [replicaOn(bus), replicaOn(bus)];
    let told = 0;
    b.watch(session, () => told++);
    await a.change(session, "backend-1", "memo://one", true);
    await settle();
    expect(b.of(session)).toEqual(new Map([["backend-1", new Set(["memo://one"])]]));
    await a.change(session, "backend-1", "memo://one", false);
    await settle();
    expect(b.of(session).size).toBe(0);
    expect(told).toBe(2);
  });

  it("a replica started later learns a session's subscriptions from the others when its stream opens", async () => {
    const bus = createInProcessBus();
    const a = replicaOn(bus);
    await a.change(session, "backend-1", "memo://one", true);
    await settle();
    const late = replicaOn(bus);
    let told = 0;
    late.watch(session, () => told++);
    late.recall(session);
    await settle();
    expect(late.of(session)).toEqual(new Map([["backend-1", new Set(["memo://one"])]]));
    expect(told).toBe(1);
  });

  it("keeps at most 50 URIs per session, and ignores what is not a subscription message", async () => {
    const bus = createInProcessBus();
    const a = replicaOn(bus);
    for (let i = 0; i < 60; i++) await a.change(session, "backend-1", `memo://${i}`, true);
    await bus.publish("gateway.resource-subscriptions", { session, backendId: "backend-1", uri: "memo://x" }); // no verb
    await bus.publish("gateway.resource-subscriptions", { session: "other", snapshot: { "backend-1": "memo://x" } });
    await settle();
    expect(a.of(session).get("backend-1")!.size).toBe(50);
    expect(a.of("other").size).toBe(0);
  });
});
