// A typed client of the Caucus API: openapi-fetch over the types that
// openapi-typescript generates from openapi/openapi.json (`npm run generate`).
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

/** The RFC 9457 problem every error answer carries. */
export type Problem = components["schemas"]["Problem"];

/** A client calling `baseUrl` with a bearer token. */
export function caucus(baseUrl: string, token: string): Client<paths> {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

/** A fresh Idempotency-Key, so that a retried write records once. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
