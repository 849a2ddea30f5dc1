// Opaque page tokens: base64url JSON of an offset or a keyset position, validated on the way back in.
import { z } from "zod";
import { Invalid } from "@/server/errors";

export const ZOffsetToken = z.strictObject({ o: z.number().int().min(0) });
/** Keyset position in a metric history ordered by (step, timestamp, id). */
export const ZHistoryToken = z.strictObject({ s: z.number().int(), t: z.number().int(), i: z.number().int() });

export function encodePageToken(value: object): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodePageToken<S extends z.ZodType>(token: string | undefined | null, schema: S): z.infer<S> | null {
  if (!token) return null;
  try {
    if (token.length > 1000) throw new Error("too long");
    return schema.parse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
  } catch {
    throw new Invalid("Invalid page token: pass back the next_page_token of the previous page unchanged");
  }
}
