// A pass-through in front of the static-key backend for the secret-rotation trials: it remembers the
// key header of every request (what the gateway sent) and forwards with the backend's real key, so
// any rotated value is accepted and the trial times only when replica B starts sending it.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export async function startHeaderRecorder(opts: { target: string; headerName: string; realValue: string }) {
  const header = opts.headerName.toLowerCase();
  const target = new URL(opts.target);
  const recorder = { url: "", last: undefined as string | undefined, close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = createServer((req, res) => {
    recorder.last = req.headers[header] as string | undefined;
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: { ...req.headers, host: target.host, [header]: opts.realValue } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`;
  return recorder;
}
