"""Sending an alert: a webhook posting JSON (the `text` field Slack's and Microsoft Teams' incoming webhooks both
read) and e-mail over SMTP, each configured only from the environment. A send is retried with backoff; what
happened is returned, never raised, so a receiver that is down never fails the run that noticed the event.
"""

from __future__ import annotations

import json
import os
import smtplib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

WEBHOOK_ENV = "LIQMART_ALERT_WEBHOOK_URL"
SMTP_ENV = "LIQMART_ALERT_SMTP_URL"  # smtp://user:password@host:587 (smtps:// for TLS from the start)
EMAIL_TO_ENV = "LIQMART_ALERT_EMAIL_TO"
RETRIES_ENV = "LIQMART_ALERT_RETRIES"  # attempts per channel (default 3)
BACKOFF_ENV = "LIQMART_ALERT_BACKOFF_S"  # the first wait; each next one doubles (default 1 s)
UI_ENV = "LIQMART_UI_URL"  # where a message's link points (default the local `make dev`)


@dataclass(frozen=True)
class Outcome:
    channel: str
    delivered: bool
    attempts: int
    detail: str  # whom it went to, or the last error


def configured() -> dict[str, str]:
    """The channels the environment sets, by name; the values never appear in a message or a log."""
    channels = {}
    if os.environ.get(WEBHOOK_ENV):
        channels["webhook"] = os.environ[WEBHOOK_ENV]
    if os.environ.get(SMTP_ENV) and os.environ.get(EMAIL_TO_ENV):
        channels["email"] = os.environ[SMTP_ENV]
    return channels


def ui_link(path: str) -> str:
    return os.environ.get(UI_ENV, "http://127.0.0.1:3000").rstrip("/") + path


def _webhook(url: str, subject: str, text: str) -> str:
    body = json.dumps({"text": f"*{subject}*\n{text}", "title": subject}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the URL is the operator's
        if response.status >= 300:
            raise OSError(f"the webhook answered HTTP {response.status}")
    return f"webhook {urlsplit(url).hostname}"


def _email(url: str, subject: str, text: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"{SMTP_ENV} must look like smtp://user:password@host:587")
    to = [a.strip() for a in os.environ.get(EMAIL_TO_ENV, "").split(",") if a.strip()]
    message = EmailMessage()
    message["Subject"] = f"[Liquidity Mart] {subject}"
    message["From"] = (
        unquote(parts.username) if parts.username and "@" in unquote(parts.username) else ("liquidity-mart@localhost")
    )
    message["To"] = ", ".join(to)
    message.set_content(text)
    client = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 587), timeout=10) as smtp:
        if parts.scheme == "smtp" and smtp.has_extn("starttls"):
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
    return f"email to {', '.join(to)}"


SENDERS = {"webhook": _webhook, "email": _email}


def send(channel: str, target: str, subject: str, text: str, sleep=time.sleep) -> Outcome:
    attempts = max(1, int(os.environ.get(RETRIES_ENV, "3")))
    wait = float(os.environ.get(BACKOFF_ENV, "1"))
    error = ""
    for attempt in range(1, attempts + 1):
        try:
            return Outcome(channel, True, attempt, SENDERS[channel](target, subject, text))
        except (OSError, smtplib.SMTPException, ValueError, urllib.error.URLError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if attempt < attempts:
                sleep(wait * 2 ** (attempt - 1))
    return Outcome(channel, False, attempts, error)
