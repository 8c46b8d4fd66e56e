"""Hostile uploads and SSRF: decompression bombs, polyglots, oversized bodies, path traversal in
file names, and web/load tests aimed at the cloud metadata address. All refused with a clear 4xx;
nothing is created by a refused request.
"""
import io
import struct
import uuid
import zlib
from pathlib import Path

from PIL import Image

from tests.ocr.pdf_factory import make_pdf


def _png_header_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height pixels (what a decompression bomb looks like)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 4096, 9)) \
        + chunk(b"IEND", b"")


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _count(body) -> int:
    return body["count"] if isinstance(body, dict) else len(body)


def _job_count(client) -> int:
    return client.get("/api/jobs/").json()["count"]


def test_images_bombs_and_polyglots_are_refused(live):
    cases = {
        "bomb 60000x60000": _png_header_bomb(60000, 60000),
        "bomb 7000x7000 (49 Mpx, under Pillow's own 2x limit)": _png_header_bomb(7000, 7000),
        "gif/js polyglot": b"GIF89a/*\x00\x00*/=alert(document.cookie)//;",
        "html named png": b"<html><script>alert(1)</script></html>",
        "pdf named png": make_pdf(["hello"]),
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "truncated png": _png()[:40],
    }
    with live.client("alice") as c:
        before = _job_count(c)
        for name, data in cases.items():
            r = c.post("/api/visual-analysis/comprehensive/", files={"image": ("x.png", data, "image/png")})
            assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:300])
            assert "image" in r.json(), (name, r.text[:300])
        # The same bomb as base64 JSON.
        import base64

        r = c.post("/api/visual-analysis/comprehensive/",
                   json={"image_data": base64.b64encode(_png_header_bomb(60000, 60000)).decode()})
        assert r.status_code == 400 and "pixels" in r.text
        assert _job_count(c) == before, "a refused upload created a job"
    print(f"uploads: {len(cases) + 1} hostile images refused")


def test_pdf_upload_that_is_not_a_pdf_is_refused_and_names_are_not_paths(live):
    probe = f"jobcast-traversal-{uuid.uuid4().hex}"
    with live.client("alice") as c:
        r = c.post("/api/ocr/save/", files={"file": ("policy.pdf", b"PK\x03\x04 a zip, not a pdf", "application/pdf")})
        assert r.status_code == 400 and "file" in r.json()["errors"], r.text
        # Traversal in names: stored as a label at most, never used as a path.
        for name in (f"../../../../tmp/{probe}", f"..\\..\\{probe}", f"/tmp/{probe}", f"{probe}\x00.pdf"):
            r = c.post("/api/ocr/save/", json={"file_name": name, "ocr_content": "Policy number: P-9\n"})
            assert r.status_code in (200, 400), r.text
        r = c.post("/api/ocr/save/", files={"file": (f"../../../tmp/{probe}.pdf", make_pdf(["Policy number: P-7"]),
                                                     "application/pdf")})
        assert r.status_code == 200, r.text
        stored = c.get(f"/api/ocr/documents/{r.json()['document_id']}/").json()["data"]["file_name"]
        assert "/" not in stored and ".." not in stored, stored
        # Download names on the media endpoint: all 404, none escapes the job's folder.
        job = live.submit(params={"steps": 1, "interval_ms": 0})
        for name in ("..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2fsettings.py", "....%2F%2F....%2Fetc%2Fpasswd",
                     "..%5C..%5Cwin.ini", "db.sqlite3", "%00", ".env"):
            r = c.get(f"/api/media/files/{job['id']}/{name}")
            assert r.status_code == 404, (name, r.status_code, r.text[:200])
    leaked = list(Path("/tmp").glob(f"{probe}*")) + list(live.dir.rglob(f"{probe}*"))
    assert leaked == [], leaked


def test_oversized_bodies_are_a_json_413_everywhere(live):
    big = b"x" * (11 * 1024 * 1024)
    with live.client("alice") as c:
        before = _job_count(c)
        for path in ("/api/jobs/", "/api/visual-analysis/comprehensive/", "/api/ocr/save/",
                     "/api/v1/web-test/scripts/", "/api/auth/token/"):
            r = c.post(path, content=big, headers={"Content-Type": "application/json"})
            assert r.status_code == 413 and r.json()["limit_bytes"] > 0, (path, r.status_code)
        r = c.post("/api/visual-analysis/comprehensive/", files={"image": ("big.png", big, "image/png")})
        assert r.status_code == 413, r.status_code

        def chunks():  # no Content-Length: caught while Django reads the body
            for _ in range(11):
                yield b"x" * (1024 * 1024)
        r = c.post("/api/jobs/", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code in (400, 413), r.status_code
        assert _job_count(c) == before


METADATA_URLS = [
    "http://169.254.169.254/latest/meta-data/", "http://169.254.169.254:80/", "http://[::ffff:169.254.169.254]/",
    "http://0xA9FEA9FE/", "http://2852039166/", "http://169.254.169.254./", "http://0251.0376.0251.0376/",
    "http://localhost@169.254.169.254/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://0.0.0.0:8000/",
    "gopher://127.0.0.1:6379/_FLUSHALL", "file:///etc/passwd", "http://example.com/", "http://10.0.0.1/",
]


def test_ssrf_targets_are_refused_naming_base_url(live):
    steps = [{"name": "a", "method": "GET", "path": "/"}]
    with live.client("alice") as c:
        scripts_before = _count(c.get("/api/v1/web-test/scripts/").json())
        for url in METADATA_URLS:
            r = c.post("/api/v1/web-test/scripts/", json={"name": "ssrf", "base_url": url, "steps": steps})
            assert r.status_code == 400 and "base_url" in r.text, (url, r.status_code, r.text[:200])
            r = c.post("/api/v1/perf-test/scenarios/", json={"name": "ssrf", "base_url": url, "requests": steps})
            assert r.status_code == 400 and "base_url" in r.text, (url, r.status_code, r.text[:200])
        # A path cannot smuggle another host in either.
        r = c.post("/api/v1/web-test/scripts/", json={"name": "ssrf", "base_url": "http://127.0.0.1:9",
                                                      "steps": [{"name": "a", "method": "GET",
                                                                 "path": "//169.254.169.254/latest"}]})
        assert r.status_code == 400, r.text
        assert _count(c.get("/api/v1/web-test/scripts/").json()) == scripts_before
    print(f"SSRF: {2 * len(METADATA_URLS) + 1} attempts refused")
