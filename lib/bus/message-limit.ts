// A bus message names what changed or carries a small answer; it never carries bulk data.
import { AppError } from "@/lib/errors";

export const BUS_MESSAGE_LIMIT_BYTES = 256 * 1024;

/** The message serialized, or an error when it is past the limit. */
export function serializeBusMessage(message: unknown): string {
  const text = JSON.stringify(message);
  if (text === undefined) throw new AppError("bad_request", "A bus message must be JSON-serializable.");
  if (Buffer.byteLength(text) > BUS_MESSAGE_LIMIT_BYTES) {
    throw new AppError("bad_request", `A bus message may be at most ${BUS_MESSAGE_LIMIT_BYTES} bytes once serialized.`);
  }
  return text;
}
