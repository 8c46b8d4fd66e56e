"""WebSocket close codes of Jobcast's sockets (docs/api.md), shared by the consumers and the CLI client.

An HTTP status plus 4000, as is customary for application close codes.
"""
from __future__ import annotations

BAD_REQUEST = 4400
UNAUTHENTICATED = 4401
NOT_FOUND = 4404

# What a client tells its user when the server closes with one of them (the CLI does).
MEANING = {
    BAD_REQUEST: "bad request",
    UNAUTHENTICATED: "bad token",
    NOT_FOUND: "no such job, or not yours",
}
