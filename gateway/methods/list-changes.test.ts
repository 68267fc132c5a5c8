// The change feed as two replicas on one bus see it: the same events under the same ids, the missed
// ones found again after an id, a hostile message ignored, and one change heard by both replicas'
// upstream listeners told once.
import { afterEach, describe, expect, it } from "vitest";
import { ChangeFeed, type ChangeEvent } from "@/gateway/methods/list-changes";
import { createInProcessBus } from "@/lib/bus/in-process-bus";

const feeds: ChangeFeed[] = [];
afterEach(() => feeds.splice(0).forEach((f) => f.close()));

function replicas() {
  const bus = createInProcessBus();
  const a = new ChangeFeed(bus);
  const b = new ChangeFeed(bus);
  feeds.push(a, b);
  return { bus, a, b };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("[gateway] the change feed", () => {
  it("every replica keeps the same events under the publisher's ids, and finds the ones after an id", async () => {
    const { a, b } = replicas();
    const heardOnB: ChangeEvent[] = [];
    b.listen((e) => heardOnB.push(e));
    a.announce("backend-1");
    b.publish({ kind: "resource_updated", backendId: "backend-2", identity: "service", uri: "memo://one" });
    a.announce("backend-3", ["tools"]);
    await settle();
    expect(heardOnB.map((e) => e.backendId)).toEqual(["backend-1", "backend-2", "backend-3"]);
    const [first] = heardOnB;
    expect(a.since(first!.id)).toEqual(b.since(first!.id));
    expect(b.since(first!.id)!.map((e) => e.backendId)).toEqual(["backend-2", "backend-3"]);
    expect(b.since("someone-else.1")).toBeUndefined();
  });

  it("ignores a message that is not an event", async () => {
    const { bus, b } = replicas();
    const heard: ChangeEvent[] = [];
    b.listen((e) => heard.push(e));
    await bus.publish("gateway.changes", { kind: "resource_updated", backendId: "x", uri: "memo://one" }); // no id, no identity
    await bus.publish("gateway.changes", { id: "p.1", kind: "shutdown" });
    await settle();
    expect(heard).toEqual([]);
  });

  it("one resource update heard by both replicas' listeners is told once; the next one again", async () => {
    const { a, b } = replicas();
    const heard: ChangeEvent[] = [];
    b.listen((e) => heard.push(e));
    const update = { kind: "resource_updated", backendId: "backend-1", identity: "service", uri: "memo://one" } as const;
    a.publish(update);
    b.publish(update);
    await settle();
    expect(heard).toHaveLength(1);
    a.publish(update); // the same publisher again: a new change
    await settle();
    expect(heard).toHaveLength(2);
    b.publish({ ...update, identity: "user:bob:exchange" }); // another identity: another listener's news
    await settle();
    expect(heard).toHaveLength(3);
  });

  it("tells its streams when the gateway closes", () => {
    const { a } = replicas();
    let closed = 0;
    a.onClose(() => closed++);
    const stop = a.onClose(() => closed++);
    stop();
    a.close();
    expect(closed).toBe(1);
  });
});
