// Answers the client owes the gateway: a request the gateway put to the client in the middle of a
// call (a backend's elicitation or sampling) waits here, on the replica that holds the call, under a
// gateway-issued id. The client's answer may reach any replica: that replica publishes it on the
// bus, and the holder (only it knows the id) takes it, if it comes from the same user.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Bus } from "@/lib/bus/bus";
import { log } from "@/lib/log";

const CHANNEL = "gateway.client-answer";
const ID_PREFIX = "gatehouse-";

export const answerSchema = z.object({
  id: z.string().max(200),
  owner: z.string().max(2000),
  /** The client's JSON-RPC response (result or error), or the retry's input response. */
  reply: z.object({ result: z.unknown().optional(), error: z.unknown().optional() }),
});
export type Answer = z.infer<typeof answerSchema>;

interface Waiter {
  owner: string;
  resolve(reply: Answer["reply"]): void;
}

export class PendingAnswers {
  private readonly waiting = new Map<string, Waiter>();
  private readonly unsubscribe: () => void;

  constructor(private readonly bus: Bus) {
    this.unsubscribe = bus.subscribe(CHANNEL, (message) => {
      const parsed = answerSchema.safeParse(message);
      if (parsed.success) this.take(parsed.data);
    });
  }

  /** A fresh gateway id and the promise of its answer (rejects after `timeoutMs`). */
  expect(owner: string, timeoutMs: number): { id: string; answer: Promise<Answer["reply"]>; forget(): void } {
    const id = `${ID_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<Answer["reply"]>((resolve, reject) => {
      timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the client did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        owner,
        resolve: (reply) => {
          clearTimeout(timer);
          this.waiting.delete(id);
          resolve(reply);
        },
      });
    });
    return { id, answer, forget: () => (clearTimeout(timer), this.waiting.delete(id)) };
  }

  /** Routes a client's answer to whichever replica waits for it. False when the id is none of ours. */
  route(answer: Answer): boolean {
    if (!answer.id.startsWith(ID_PREFIX)) return false;
    if (this.take(answer)) return true;
    this.bus.publish(CHANNEL, answer).catch((e: unknown) => log.warn({ err: (e as Error).message }, "could not route a client's answer"));
    return true;
  }

  close(): void {
    this.unsubscribe();
  }

  private take(answer: Answer): boolean {
    const waiter = this.waiting.get(answer.id);
    // Another user's client cannot answer for this one, even with the id.
    if (!waiter || waiter.owner !== answer.owner) return false;
    waiter.resolve(answer.reply);
    return true;
  }
}

export const ownerOf = (caller: { issuer: string; sub: string }) => `${caller.issuer} ${caller.sub}`;
