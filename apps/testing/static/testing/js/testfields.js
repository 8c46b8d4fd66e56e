// What the editors ask for: the fields of a script (its steps) and of a scenario (its requests), as
// apps/testing/serializers.py defines them (StepSerializer, ExpectSerializer, PerfRequestSerializer).

import { t } from "/static/jobcast/js/i18n.js";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const name = { key: "name", label: () => t("Name"), required: true };
const method = { key: "method", label: () => t("Method"), type: "select", options: METHODS };
const path = { key: "path", label: () => t("Path"), required: true, placeholder: "/api/health/",
  hint: () => t("Starts with /; appended to the target. {{variable}} uses a value an earlier step extracted.") };
const headers = { key: "headers", label: () => t("Headers"), type: "json", advanced: true, placeholder: '{"X-Token": "{{token}}"}' };
const body = { key: "json", label: () => t("JSON body"), type: "json", advanced: true, placeholder: '{"q": "x"}' };

export const STEP_FIELDS = [
  name, method, path,
  { key: "expect.status", label: () => t("Expected status"), type: "number", placeholder: "200" },
  { key: "expect.body_contains", label: () => t("Body contains"), hint: () => t("Text the response must contain.") },
  { key: "expect.json", label: () => t("JSON values"), type: "json", placeholder: '{"database": "ok"}',
    hint: () => t("Dotted path → exact value, as JSON.") },
  { key: "timeout_s", label: () => t("Timeout (s)"), type: "number", advanced: true, placeholder: "10" },
  headers,
  { key: "query", label: () => t("Query parameters"), type: "json", advanced: true, placeholder: '{"page": 1}' },
  body,
  { key: "form", label: () => t("Form body"), type: "json", advanced: true, hint: () => t("Either a JSON body or a form body, not both.") },
  { key: "expect.headers", label: () => t("Expected headers"), type: "json", advanced: true, placeholder: '{"Content-Type": "application/json"}' },
  { key: "extract", label: () => t("Extract variables"), type: "json", advanced: true, placeholder: '{"token": "data.token"}',
    hint: () => t("Variable → dotted JSON path, for {{variable}} in later steps.") },
];

export const REQUEST_FIELDS = [
  name, method, path,
  { key: "weight", label: () => t("Weight"), type: "number", placeholder: "1",
    hint: () => t("How often a user picks it, relative to the others.") },
  headers, body,
];

export const EDITORS = {
  script: {
    rowsKey: "steps", fields: STEP_FIELDS, noun: (n) => t("Step %(n)s", { n }),
    labels: { list: () => t("Steps"), add: () => t("Add a step"), remove: (n) => t("Remove step %(n)s", { n }),
      up: (n) => t("Move step %(n)s up", { n }), down: (n) => t("Move step %(n)s down", { n }), more: () => t("More options") },
    blank: { method: "GET", expect: { status: 200 } },
  },
  scenario: {
    rowsKey: "requests", fields: REQUEST_FIELDS, noun: (n) => t("Request %(n)s", { n }),
    labels: { list: () => t("Requests"), add: () => t("Add a request"), remove: (n) => t("Remove request %(n)s", { n }),
      up: (n) => t("Move request %(n)s up", { n }), down: (n) => t("Move request %(n)s down", { n }), more: () => t("More options") },
    blank: { method: "GET", weight: 1 },
  },
};
