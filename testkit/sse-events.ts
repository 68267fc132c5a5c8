// Reads a fetch Response's SSE body event by event (test-only): ids, data and comments, as a client
// that resumes streams with Last-Event-ID needs to see them.
export interface SseEvent {
  id?: string;
  data?: string;
  comment?: string;
}

export interface SseReader {
  /** The first event (already read or still to come) that `match` accepts; events before it are skipped. */
  next(match: (event: SseEvent) => boolean): Promise<SseEvent>;
  close(): Promise<void>;
}

export function readEvents(response: Response): SseReader {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  let waiter: (() => void) | undefined;
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) event.comment = line.slice(1).trim();
          else if (line.startsWith("id:")) event.id = line.slice(3).trim();
          else if (line.startsWith("data:")) event.data = (event.data ? `${event.data}\n` : "") + line.slice(5).trim();
        }
        events.push(event);
      }
      waiter?.();
    }
  })();
  return {
    async next(match) {
      for (;;) {
        const at = events.findIndex(match);
        if (at >= 0) return events.splice(0, at + 1).at(-1)!;
        events.length = 0;
        await new Promise<void>((resolve) => (waiter = resolve));
      }
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}
