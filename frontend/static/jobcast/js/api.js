// REST calls from the page: session cookie plus Django's CSRF token, JSON both ways.

import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.describe(status, body));
    this.status = status;
    this.body = body;
  }

  static describe(status, body) {
    if (body && typeof body === "object" && typeof body.detail === "string") return body.detail;
    if (body && typeof body === "object" && typeof body.message === "string") return body.message; // the OCR endpoints' shape
    return t("request failed (%(status)s)", { status });
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/**
 * fetch() a JSON endpoint; rejects with ApiError on a non-2xx answer (a 401/403 sends the user to log in).
 * A FormData `body` goes as multipart (a file upload), anything else as JSON.
 */
export async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const multipart = typeof FormData !== "undefined" && body instanceof FormData;
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined || multipart ? body : JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (response.status === 401 || (response.status === 403 && method === "GET")) {
    window.location.assign(`/accounts/login/?next=${encodeURIComponent(location.pathname)}`);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const jobsApi = {
  kinds: () => api("/api/kinds/"),
  list: (page = 1, filters = {}) => api(`/api/jobs/?${new URLSearchParams({ ...filters, page })}`),
  get: (id) => api(`/api/jobs/${id}/`),
  events: (id, after = 0) => api(`/api/jobs/${id}/events/?after=${after}`),
  create: (body) => api("/api/jobs/", { method: "POST", body }),
  cancel: (id) => api(`/api/jobs/${id}/cancel/`, { method: "POST" }),
  retry: (id) => api(`/api/jobs/${id}/retry/`, { method: "POST" }),
};
