"""Opt-in fetching of URL images, with an allow-list, size and time caps, and no private targets.

Nothing is ever fetched unless the caller passes a :class:`FetchPolicy` to the compressor.
Every hop (the first request and each redirect) must be http(s), on an allow-listed host, and
resolve only to public addresses (no loopback, private, link-local, multicast or reserved
ranges, which blocks server-side request forgery through redirects or DNS).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ._exceptions import ConfigurationError, UnsupportedImageError

__all__ = ["FetchPolicy", "fetch_image"]


@dataclass(frozen=True)
class FetchPolicy:
    """What may be fetched.

    ``allowed_hosts``: exact host names, or ``*.example.com`` for any subdomain (not the apex).
    ``allow_private``: permit private/loopback targets (only for tests and trusted networks).
    """

    allowed_hosts: tuple[str, ...]
    max_bytes: int = 10 * 1024 * 1024
    timeout_s: float = 5.0
    max_redirects: int = 3
    allow_private: bool = False

    def __post_init__(self) -> None:
        if not self.allowed_hosts:
            raise ConfigurationError("FetchPolicy needs at least one allowed host")

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for pattern in self.allowed_hosts:
            p = pattern.lower().rstrip(".")
            if p.startswith("*."):
                if host.endswith(p[1:]) and host != p[2:]:
                    return True
            elif host == p:
                return True
        return False


def _check_url(url: str, policy: FetchPolicy) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsupportedImageError(f"refused to fetch {parts.scheme or 'a'}: URL (only http and https)")
    host = parts.hostname or ""
    if not policy.host_allowed(host):
        raise UnsupportedImageError(f"refused to fetch from {host!r}: not in the allowed hosts")
    if policy.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError as exc:
        raise UnsupportedImageError(f"cannot resolve {host!r}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise UnsupportedImageError(
                f"refused to fetch from {host!r}: it resolves to non-public {address}"
            )


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.count = 0

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        self.count += 1
        if self.count > self.policy.max_redirects:
            raise UnsupportedImageError(f"more than {self.policy.max_redirects} redirects")
        _check_url(newurl, self.policy)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_image(url: str, policy: FetchPolicy) -> bytes:
    """The bytes at ``url`` under ``policy``, or :class:`UnsupportedImageError` saying why not."""
    _check_url(url, policy)
    opener = urllib.request.build_opener(_Redirects(policy))
    request = urllib.request.Request(url, headers={"User-Agent": "headroom-image"})
    try:
        with opener.open(request, timeout=policy.timeout_s) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                raise UnsupportedImageError(
                    f"{url} is {declared} bytes, over the {policy.max_bytes}-byte cap"
                )
            data: bytes = response.read(policy.max_bytes + 1)
    except UnsupportedImageError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UnsupportedImageError(f"fetch of {url} failed: {exc}") from None
    if len(data) > policy.max_bytes:
        raise UnsupportedImageError(f"{url} exceeds the {policy.max_bytes}-byte cap")
    return data
