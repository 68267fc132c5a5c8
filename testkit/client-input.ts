// A minimal ClientInputSource for tests, for handshake-era clients on one replica: the question goes
// to the client as a JSON-RPC request on the call's own SSE stream, and the client's answer (a POST
// of its own) settles it. The client's capabilities are what the test says it declared.
import { randomUUID } from "node:crypto";
import type { CallStream, ClientInputSource, StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { ClientInputRequest } from "@/gateway/upstream/client-input";

interface Waiting {
  who: string;
  resolve(result: unknown): void;
  reject(e: Error): void;
}

export function inProcessClientInput(
  capabilities: Record<string, unknown>,
  timeoutMs = 10_000,
): ClientInputSource & { asked: ClientInputRequest[] } {
  const waiting = new Map<string, Waiting>();
  const asked: ClientInputRequest[] = [];
  return {
    asked,
    channelFor({ caller, session }) {
      let stream: CallStream | undefined;
      const channel: StreamingClientInput = {
        era: "2025-11-25",
        protocolVersion: session?.protocolVersion ?? "2025-11-25",
        capabilities,
        bindCallStream: (s) => void (stream = s),
        async ask(requests) {
          asked.push(...requests);
          if (!stream) throw new Error("no stream to the client");
          const answers = await Promise.all(
            requests.map(
              (r) =>
                new Promise<unknown>((resolve, reject) => {
                  const id = `gatehouse-${randomUUID()}`;
                  const timer = setTimeout(() => reject(new Error("the client did not answer in time")), timeoutMs);
                  const settle = (f: () => void) => {
                    clearTimeout(timer);
                    waiting.delete(id);
                    f();
                  };
                  waiting.set(id, {
                    who: caller.sub,
                    resolve: (v) => settle(() => resolve(v)),
                    reject: (e) => settle(() => reject(e)),
                  });
                  stream!.send({ jsonrpc: "2.0", id, method: r.method, params: r.params });
                }),
            ),
          );
          return Object.fromEntries(requests.map((r, i) => [r.id, answers[i]]));
        },
      };
      return channel;
    },
    answer(caller, message) {
      const w = typeof message.id === "string" ? waiting.get(message.id) : undefined;
      if (!w || w.who !== caller.sub) return false;
      const error = message.error as { message?: string } | undefined;
      if (error) w.reject(new Error(error.message ?? "the client refused"));
      else w.resolve(message.result);
      return true;
    },
  };
}
