"""The parts of /api/schema/ drf-spectacular cannot see for itself.

The Server-Sent Events streams (`GET /api/jobs/<id>/stream/`, `GET /api/jobs/stream/`) are
async Django views (an open stream must hold no thread), not DRF views, so the generator does
not find them; this postprocessing hook (drf-spectacular's own extension point,
`SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`) documents them next to the other job
endpoints, with the same authentication.
"""
from __future__ import annotations

from typing import Any

STREAM_PATH = "/api/jobs/{job_id}/stream/"
FEED_STREAM_PATH = "/api/jobs/stream/"

_STREAM_DESCRIPTION = """One job's events as Server-Sent Events (`text/event-stream`).

First `event: snapshot` with the Job as `data`; then every stored event with seq greater than
the resume point, each as `id: <seq>`, `event: <event type>`, `data: <Event JSON>`; then live
events. The stream ends after the terminal event. A comment line (`: keepalive`) every 15 s.
Resume with the `Last-Event-ID` header (EventSource sends it on reconnect) or `?after=<seq>`;
the header wins. Another user's job is a 404."""


def _detail(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}}}}


_FEED_DESCRIPTION = """The user's feed as Server-Sent Events: live events of all their jobs (staff: every job).

First `event: ready` once the stream is subscribed; then each event of the user's jobs as
`event: <event type>`, `data: <Event JSON>`, once and in seq order per job. No `id:` lines (seqs
are per job): a reconnecting client reads `GET /api/jobs/<id>/events/?after=<seq>` for the jobs
it knows after `ready`. Never ends by itself; a comment line every 15 s."""

_SECURITY = [{"tokenAuth": []}, {"cookieAuth": []}]


def feed_stream_operation() -> dict[str, Any]:
    """The OpenAPI operation of the feed over SSE."""
    return {
        "operationId": "api_jobs_feed_stream",
        "summary": "Follow all of one's jobs as Server-Sent Events",
        "description": _FEED_DESCRIPTION,
        "tags": ["api"],
        "security": _SECURITY,
        "responses": {
            "200": {"description": "ready, then live events until the client hangs up",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}}},
            "401": _detail("no or invalid credentials"),
        },
    }


def stream_operation() -> dict[str, Any]:
    """The OpenAPI operation of the SSE stream."""
    return {
        "operationId": "api_jobs_stream",
        "summary": "Follow a job as Server-Sent Events",
        "description": _STREAM_DESCRIPTION,
        "tags": ["api"],
        "parameters": [
            {"in": "path", "name": "job_id", "required": True, "schema": {"type": "string"}},
            {"in": "query", "name": "after", "required": False, "schema": {"type": "integer", "minimum": 0},
             "description": "Send only events with a greater seq."},
            {"in": "header", "name": "Last-Event-ID", "required": False,
             "schema": {"type": "integer", "minimum": 0},
             "description": "The last seq received; wins over `after`."},
        ],
        "security": _SECURITY,
        "responses": {
            "200": {"description": "snapshot, stored events, live events; ends after the terminal one",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}}},
            "400": {"description": "a resume point that is not a non-negative integer",
                    "content": {"application/json": {"schema": {
                        "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}},
            "401": _detail("no or invalid credentials"),
            "404": _detail("no such job, or another user's"),
        },
    }


def add_stream_path(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Postprocessing hook: add the SSE streams to the generated document."""
    paths = result.setdefault("paths", {})
    paths[FEED_STREAM_PATH] = {"get": feed_stream_operation()}
    paths[STREAM_PATH] = {"get": stream_operation()}
    return result
