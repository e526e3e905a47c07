// A real flow against a live api: the Political Assistant drafts a press
// release and submits it, the Leader approves it, the assistant schedules it
// and reads it back; a stale If-Match is refused with 409 and an invalid
// draft with 422, both read through the typed problem.
//
//   CAUCUS_URL=http://127.0.0.1:8080 \
//   CAUCUS_ASSISTANT_TOKEN=$(caucus token --role assistant --subject pa) \
//   CAUCUS_LEADER_TOKEN=$(caucus token --role leader --subject leader) \
//   node dist/example.js
import assert from "node:assert/strict";

import { caucus, idempotencyKey, type Problem } from "./client.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const baseUrl = env("CAUCUS_URL");
const assistant = caucus(baseUrl, env("CAUCUS_ASSISTANT_TOKEN"));
const leader = caucus(baseUrl, env("CAUCUS_LEADER_TOKEN"));

function fail(what: string, problem: Problem | undefined, response: Response): never {
  throw new Error(`${what}: ${response.status} ${JSON.stringify(problem)}`);
}

// Draft.
const drafted = await assistant.POST("/api/v1/publications", {
  params: { header: { "Idempotency-Key": idempotencyKey() } },
  body: {
    kind: "press_release",
    author_name: "Newham Labour Group",
    title: "Labour group backs the library rescue plan",
    summary: "Every library stays open.",
    body_markdown: "The group voted tonight to keep **every library** open.",
    // A slug of its own, so that the example can run again on the same api.
    slug: `library-rescue-${Date.now()}`,
    tags: ["libraries"],
  },
});
if (!drafted.data) fail("draft", drafted.error, drafted.response);
const id = drafted.data.id;
const draftEtag = drafted.response.headers.get("ETag");
assert.equal(drafted.response.status, 201);
assert.equal(drafted.data.status, "draft");
assert.ok(draftEtag, "a write answers with the record's ETag");
const path = { id };

// Submit for approval.
const submitted = await assistant.POST("/api/v1/publications/{id}/submission", {
  params: { path, header: { "If-Match": draftEtag } },
  body: {},
});
if (!submitted.data) fail("submit", submitted.error, submitted.response);
assert.equal(submitted.data.status, "submitted");

// A stale If-Match (the draft's ETag, from before the submission): 409.
const stale = await assistant.PUT("/api/v1/publications/{id}/content", {
  params: { path, header: { "If-Match": draftEtag } },
  body: { title: "A title nobody approved" },
});
assert.equal(stale.response.status, 409);
assert.ok(stale.error, "a refusal is a problem document");
assert.equal(stale.error.status, 409);
assert.match(stale.error.detail, /changed/);

// The Leader approves (never the author).
const approved = await leader.POST("/api/v1/publications/{id}/approval", { params: { path }, body: {} });
if (!approved.data) fail("approve", approved.error, approved.response);
assert.equal(approved.data.status, "approved");

// The assistant schedules it for tomorrow and reads it back.
const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
const scheduled = await assistant.POST("/api/v1/publications/{id}/schedule", {
  params: { path },
  body: { publish_at: tomorrow },
});
if (!scheduled.data) fail("schedule", scheduled.error, scheduled.response);
const read = await assistant.GET("/api/v1/publications/{id}", { params: { path } });
if (!read.data) fail("read", read.error, read.response);
assert.equal(read.data.status, "scheduled");
assert.equal(read.data.title, "Labour group backs the library rescue plan");
assert.equal(read.response.headers.get("ETag"), scheduled.response.headers.get("ETag"));

// An invalid draft: 422, each field named by a JSON Pointer.
const invalid = await assistant.POST("/api/v1/publications", {
  body: { kind: "news_article", author_name: " ", title: "" },
});
assert.equal(invalid.response.status, 422);
assert.ok(invalid.error);
const pointers = (invalid.error.errors ?? []).map((e) => e.pointer);
assert.deepEqual(pointers, ["/author_name", "/title"]);

console.log(`press release ${id}: drafted, submitted, approved by the Leader, scheduled for ${tomorrow}`);
