"""URL images: never fetched by default; when opted in, only allow-listed hosts, public targets, capped."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from _fakes import FixedRouter

from headroom_core import ConfigurationError, ImageCompressor, Technique, UnsupportedImageError
from headroom_core._fetch import FetchPolicy, fetch_image


@pytest.fixture
def server(draw_photo, to_png) -> Iterator[str]:
    png = to_png(draw_photo(1024, 768))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/img.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)
            elif self.path == "/redirect-private":
                self.send_response(302)
                self.send_header("Location", "http://10.0.0.1/secret.png")
                self.end_headers()
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def request(url: str) -> list[dict[str, object]]:
    return [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": url}}, {"type": "text", "text": "q"}],
        }
    ]


def test_urls_are_not_fetched_by_default(server: str) -> None:
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    req = request(server + "/img.png")
    assert comp.compress(req) == req
    assert "not fetched" in (comp.last_result.images[0].skipped_reason or "")


def test_opt_in_fetch_compresses_the_image(server: str) -> None:
    policy = FetchPolicy(allowed_hosts=("127.0.0.1",), allow_private=True)
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.FULL_LOW), fetch=policy)
    out = comp.compress(request(server + "/img.png"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.FULL_LOW and r.original_tokens == 765 and r.compressed_tokens == 85
    assert out[0]["content"][0]["image_url"]["detail"] == "low"


def test_private_targets_are_refused_unless_allowed(server: str) -> None:
    with pytest.raises(UnsupportedImageError, match="non-public"):
        fetch_image(server + "/img.png", FetchPolicy(allowed_hosts=("127.0.0.1",)))


def test_host_not_allow_listed(server: str) -> None:
    with pytest.raises(UnsupportedImageError, match="not in the allowed hosts"):
        fetch_image(server + "/img.png", FetchPolicy(allowed_hosts=("example.com",), allow_private=True))


def test_redirect_to_private_address_is_refused(server: str) -> None:
    policy = FetchPolicy(allowed_hosts=("127.0.0.1",), allow_private=True)
    with pytest.raises(UnsupportedImageError):
        fetch_image(server + "/redirect-private", policy)  # 10.0.0.1 is not allow-listed


def test_size_cap(server: str) -> None:
    policy = FetchPolicy(allowed_hosts=("127.0.0.1",), allow_private=True, max_bytes=100)
    with pytest.raises(UnsupportedImageError, match="cap"):
        fetch_image(server + "/img.png", policy)


def test_only_http_schemes() -> None:
    with pytest.raises(UnsupportedImageError, match="only http"):
        fetch_image("file:///etc/passwd", FetchPolicy(allowed_hosts=("localhost",)))


def test_wildcard_hosts_and_empty_policy() -> None:
    p = FetchPolicy(allowed_hosts=("*.example.com",))
    assert p.host_allowed("img.example.com") and not p.host_allowed("example.com")
    assert not p.host_allowed("evil-example.com")
    with pytest.raises(ConfigurationError):
        FetchPolicy(allowed_hosts=())
