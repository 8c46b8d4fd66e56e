// A job's message in the viewer's language (static/jobcast/js/jobview.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

const CATALOG = { done: "完成", "attempt %(n)s": "第 %(n)s 次" };
globalThis.gettext = (msgid) => CATALOG[msgid] ?? msgid;
const { jobMessage } = await import("../static/jobcast/js/jobview.js");

describe("jobMessage", () => {
  it("renders the event's key with its parameters", () => {
    assert.equal(jobMessage({ message: "attempt 2", message_i18n: { msgid: "attempt %(n)s", params: { n: 2 } } }), "第 2 次");
  });
  it("looks a snapshot's stored English up as a msgid", () => {
    assert.equal(jobMessage({ message: "done" }), "完成");
  });
  it("keeps a message the catalog does not know, and an empty one empty", () => {
    assert.equal(jobMessage({ message: "row 23 of 30" }), "row 23 of 30");
    assert.equal(jobMessage({ message: "" }), "");
  });
});
