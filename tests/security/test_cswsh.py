"""Cross-site WebSocket hijacking: a browser upgrade carrying a valid session cookie but a
foreign Origin is refused before it reaches a consumer; the same cookie from our own origin works.
"""
import re

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from livestack.stack import ws_collect

pytestmark = pytest.mark.asyncio(loop_scope="function")


def session_cookie(live, user: str = "alice") -> str:
    """Log in through the login page like a browser; returns the `Cookie` header value."""
    with httpx.Client(base_url=live.base, timeout=30) as browser:
        page = browser.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = browser.post("/accounts/login/", data={"username": user, "password": f"{user}-password",
                                                    "csrfmiddlewaretoken": token},
                         headers={"Referer": f"{live.base}/accounts/login/"})
        assert r.status_code == 302, r.text[:300]
        return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


async def test_foreign_origin_with_a_valid_session_cookie_is_refused(live):
    cookie = {"Cookie": session_cookie(live)}
    job = live.submit(params={"steps": 1, "interval_ms": 0})
    live.wait_job(job["id"])
    tried = 0
    for path in ("/ws/jobs/", f"/ws/jobs/{job['id']}/", f"/ws/progress/{job['task_id']}/"):
        for origin in ("http://evil.example", "null", "http://127.0.0.1.evil.example", "https://localhost.evil",
                       f"http://evil.example{live.base[len('http://127.0.0.1'):]}"):
            with pytest.raises(InvalidStatus) as refused:
                await ws_collect(f"{live.ws_base()}{path}", cookie, origin=origin, timeout=5)
            assert refused.value.response.status_code == 403, (path, origin)
            tried += 1
        # No Origin at all (not a browser) with only a cookie: refused too.
        with pytest.raises(InvalidStatus):
            await ws_collect(f"{live.ws_base()}{path}", cookie, timeout=5)
        tried += 1
    # The same cookie from our own origin is a logged-in browser: it gets the job.
    frames, _ = await ws_collect(f"{live.ws_base()}/ws/jobs/{job['id']}/", cookie, origin=live.base)
    assert frames[0]["type"] == "snapshot" and frames[-1]["event"] == "success"
    print(f"CSWSH: {tried} hijack attempts refused")
