// The job list's filter rules (joblist.js) and the t() wrapper (i18n.js).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { t } from "../static/jobcast/js/i18n.js";
import { BULK, isJobId, listQuery, matches } from "../static/jobcast/js/joblist.js";

const job = { id: "5584faeb-1c2d-4e5f-8a9b-0c1d2e3f4a5b", kind: "jobs.ticker", status: "started" };

describe("matches", () => {
  it("keeps a job that fits every filter given", () => {
    assert.equal(matches(job, {}), true);
    assert.equal(matches(job, { status: "started", kind: "jobs.ticker", q: "5584" }), true);
    assert.equal(matches(job, { q: "#5584FAEB" }), true);
  });
  it("drops a job another status, kind or id start", () => {
    assert.equal(matches(job, { status: "success" }), false);
    assert.equal(matches(job, { kind: "ocr.extract" }), false);
    assert.equal(matches(job, { q: "84fa" }), false);
  });
});

describe("listQuery and isJobId", () => {
  it("sends only the filters the API knows, and only when set", () => {
    assert.deepEqual(listQuery({ status: "", kind: "jobs.ticker", q: "55" }), { kind: "jobs.ticker" });
    assert.deepEqual(listQuery(undefined), {});
  });
  it("tells a whole id from its start", () => {
    assert.equal(isJobId(` ${job.id} `), true);
    assert.equal(isJobId(job.id.slice(0, 8)), false);
  });
});

describe("bulk actions", () => {
  it("cancel applies to unfinished jobs, retry to failed or cancelled ones", () => {
    const of = (status) => ({ ...job, status });
    assert.deepEqual(["pending", "started", "retry", "success", "failure", "revoked"].filter((s) => BULK.cancel.applies(of(s))),
      ["pending", "started", "retry"]);
    assert.deepEqual(["pending", "started", "success", "failure", "revoked"].filter((s) => BULK.retry.applies(of(s))),
      ["failure", "revoked"]);
  });
});

describe("t", () => {
  it("fills named placeholders, and translates through a global gettext when there is one", () => {
    assert.equal(t("%(n)s of %(total)s steps run", { n: 1, total: 2 }), "1 of 2 steps run");
    assert.equal(t("plain"), "plain");
    globalThis.gettext = (s) => (s === "%(n)s files" ? "%(n)s 个文件" : s);
    try {
      assert.equal(t("%(n)s files", { n: 3 }), "3 个文件");
    } finally {
      delete globalThis.gettext;
    }
  });
});
