"""`HttpSource`: what every live connector shares.

A timeout on every request; retries with exponential backoff and full jitter on 429, 5xx, timeouts and
broken connections (honouring Retry-After); a polite minimum interval between requests to one service; and
a check of each response before anyone parses it: status 200, a body as long as its Content-Length says,
not empty, and not an HTML page where data was asked for (a 200 consent or error page is the usual way a
throttled service answers). Every failure is a `SourceError` naming the service, the request and the rule.

Requests never carry secrets in the URL, and the error texts hold only the path and query, so a key sent in
a header cannot reach logs, metadata or the warehouse.
"""

import random
import threading
import time
from typing import ClassVar
from urllib.parse import urlencode, urlparse

import dagster as dg
import requests
from pydantic import PrivateAttr

from transforms.errors import SourceError
from transforms.validation import sniff_text

RETRY_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = "liquidity-mart/0.1 (open-source research; one request per second at most)"


class HttpSource(dg.ConfigurableResource):
    """A public HTTP service. Subclasses set `source` (the name used in errors and lineage) and `expect`."""

    base_url: str
    timeout_s: float = 30.0
    max_attempts: int = 4
    backoff_s: float = 2.0  # first retry waits up to this long; each further retry doubles it
    backoff_max_s: float = 60.0
    min_interval_s: float = 1.0  # polite rate: at most one request per interval to this service

    _last_request: float = PrivateAttr(default=0.0)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    source: ClassVar[str] = "http"  # the service's name in errors and in the raw tables' _source
    expect: ClassVar[str] = "CSV"  # CSV, JSON or HTML

    def _wait_turn(self) -> None:
        with self._lock:
            wait = self._last_request + self.min_interval_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_request = time.monotonic()

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        ceiling = min(self.backoff_max_s, self.backoff_s * 2 ** (attempt - 1))
        delay = random.uniform(0, ceiling)  # full jitter: retries from many clients do not line up
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), self.backoff_max_s))
        return delay

    def get(self, path: str, params: dict | None = None, headers: dict | None = None) -> bytes:
        """The body of GET base_url/path?params, checked; raises SourceError once the retry budget is spent."""
        url = self.base_url.rstrip("/") + ("/" + path.lstrip("/") if path else "")
        request = urlparse(url).path + (f"?{urlencode(params)}" if params else "")
        reason = ""
        for attempt in range(1, self.max_attempts + 1):
            self._wait_turn()
            retry_after = None
            try:
                response = requests.get(
                    url, params=params, timeout=self.timeout_s, headers={"User-Agent": USER_AGENT, **(headers or {})}
                )
                body = response.content
            except requests.Timeout:
                reason = f"no response within the {self.timeout_s:g} s timeout"
            except requests.exceptions.ChunkedEncodingError as exc:
                reason = f"body truncated: the connection closed before the end of the body ({type(exc).__name__})"
            except requests.ConnectionError as exc:
                reason = f"connection failed: {type(exc).__name__}"
            else:
                if response.status_code in RETRY_STATUS:
                    reason, retry_after = f"HTTP {response.status_code}", response.headers.get("Retry-After")
                elif response.status_code != 200:
                    # 4xx other than 429 (403 blocked, 404 renamed, 418 banned) will not improve by retrying.
                    raise SourceError(
                        self.source,
                        request,
                        "HTTP status must be 200",
                        detail=f"got {response.status_code} {response.reason}",
                    )
                else:
                    self._check_body(request, response, body)
                    return body
            if attempt < self.max_attempts:
                time.sleep(self._backoff(attempt, retry_after))
        raise SourceError(
            self.source, request, f"must answer within {self.max_attempts} attempts", detail=f"last: {reason}"
        )

    def _check_body(self, request: str, response: requests.Response, body: bytes) -> None:
        declared = response.headers.get("Content-Length")
        if (
            declared
            and declared.isdigit()
            and "Content-Encoding" not in response.headers
            and len(body) != int(declared)
        ):
            raise SourceError(
                self.source, request, "body must be complete", detail=f"got {len(body)} of {declared} bytes"
            )
        content_type = response.headers.get("Content-Type", "")
        if self.expect != "HTML" and "text/html" in content_type:
            raise SourceError(
                self.source,
                request,
                f"expected {self.expect}, got an HTML page",
                detail=body[:80].decode("utf-8", "replace"),
            )
        sniff_text(self.source, request, body[:400].decode("utf-8", "replace"), expect=self.expect)
