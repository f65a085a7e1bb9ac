"""The package logger, its per-attempt line, the ``MIJNKLANTPORTAAL_LOG`` switch, and what
keeps secrets (the API key, OAuth tokens, the client secret) out of everything printable.

``logger`` is ``logging.getLogger("mijnklantportaal_async")``: :func:`log_attempt` writes the one
line per attempt on it (DEBUG; INFO when the call goes on with a retry or a new token, or ends
ambiguous), never a secret. :func:`configure_from_env` gives it a stderr handler when the
``MIJNKLANTPORTAAL_LOG`` environment variable says ``debug`` or ``info``, once per process.
:class:`Secret` holds a secret so that a repr, a str or an f-string of whatever holds it shows
``'***'`` (and it refuses to be pickled); :func:`redact` / :func:`redact_body` remove secrets from
what a server sent back (an error page that echoes the request headers, for example).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

__all__ = [
    "ENV_LOG",
    "REDACTED",
    "Secret",
    "configure_from_env",
    "log_attempt",
    "logger",
    "redact",
    "redact_body",
    "secret_key",
]

logger = logging.getLogger("mijnklantportaal_async")

REDACTED = "[redacted]"
ENV_LOG = "MIJNKLANTPORTAAL_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_LOG_FORMAT = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"
_configured = False


def configure_from_env() -> None:
    """Send the package's log lines to stderr when ``MIJNKLANTPORTAAL_LOG`` is ``debug`` or
    ``info`` (any case), as ``OPENAI_LOG`` does: a ``StreamHandler`` on the package logger,
    which is set to that level. Called when the package is imported and when a client is made
    (an environment set in between counts); it acts once per process, never adding a second
    handler. Unset or empty: nothing happens; another value: one warning on stderr, ignored.
    The lines carry no secret (see :func:`log_attempt`)."""
    global _configured
    if _configured:
        return
    value = os.environ.get(ENV_LOG, "").strip().lower()
    if not value:
        return
    _configured = True
    level = _LEVELS.get(value)
    if level is None:
        print(  # no handler exists yet to say it through
            f"mijnklantportaal_async: {ENV_LOG}={value!r} ignored; use 'debug' or 'info'",
            file=sys.stderr,
        )
        return
    handler = logging.StreamHandler()  # sys.stderr, looked up when a line is written
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)


class Secret:
    """A string that never shows itself: repr, str and format give ``'***'``.

    ``reveal()`` returns the value; call it only where the value goes on the wire. Checks
    of the value (:meth:`wrong_type`, :meth:`is_blank`, :func:`secret_key`) run in frames that
    return before anything is raised, so no frame of a traceback holds the value itself.
    """

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value itself (for the Authorization header, nowhere else)."""
        value: str = self._value
        return value

    @staticmethod
    def wrong_type(secret: Secret) -> str | None:
        """The name of the value's type when it is neither a str nor None, else None."""
        value = secret._value
        return None if value is None or isinstance(value, str) else type(value).__name__

    @staticmethod
    def is_blank(secret: Secret) -> bool:
        """True when the value is missing or only whitespace."""
        return not isinstance(secret._value, str) or not secret._value.strip()

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")


def redact(text: str, secret: Secret | Iterable[Secret]) -> str:
    """``text`` with every occurrence of the secret, or of each of several (also JSON-escaped,
    ``\\/`` for ``/``), replaced by ``[redacted]``."""
    for one in (secret,) if isinstance(secret, Secret) else secret:
        value = one.reveal()
        if not value:
            continue
        for form in {value, value.replace("/", "\\/")}:
            text = text.replace(form, REDACTED)
    return text


SECRET_FIELDS = frozenset({"secret"})
"""Wire fields whose values are secrets of their own (a webhook record's ``secret``):
:func:`redact_body` replaces them wherever they occur, so an error carrying a body (an
unreadable create-webhook answer, say) never shows one."""


def redact_body(body: Any, secret: Secret | Iterable[Secret]) -> Any:
    """A parsed response body (JSON values, or text) with the secret(s) redacted in every
    string and the value of every :data:`SECRET_FIELDS` field replaced by ``[redacted]``."""
    if not isinstance(secret, Secret):
        secret = tuple(secret)
    if isinstance(body, str):
        return redact(body, secret)
    if isinstance(body, dict):
        return {
            redact(str(k), secret): REDACTED if k in SECRET_FIELDS else redact_body(v, secret)
            for k, v in body.items()
        }
    if isinstance(body, list):
        return [redact_body(v, secret) for v in body]
    return body


def secret_key(api_key: str | Secret) -> Secret:
    """Check an API key and wrap it (a :class:`Secret` is checked as it is). Raises
    ``ValueError`` (never showing the key, not even in a frame's locals) when it is empty or
    holds whitespace or control characters (which could split the header)."""
    secret = api_key if isinstance(api_key, Secret) else Secret(api_key)
    del api_key
    problem = _key_problem(secret)
    if problem is not None:
        raise ValueError(problem)
    return secret


def _key_problem(secret: Secret) -> str | None:
    if Secret.is_blank(secret):
        return "api_key must be a non-empty string"
    if any(ch.isspace() or not ch.isprintable() for ch in secret.reveal()):
        return "api_key contains whitespace or control characters (not shown)"
    return None


def log_attempt(
    method: str,
    path: str,
    result: str,
    elapsed_ms: float,
    attempt: int,
    operation_id: str,
    outcome: str = "success",
    delay: float = 0.0,
) -> None:
    """One line for one attempt: ``POST /customers -> 503 in 12 ms (attempt 1,
    create-customer); retrying in 1.00 s``. ``result`` is the status or the exception class
    name; ``outcome`` a ``retry.Outcome`` value, or ``"renew"`` (a 401 answered by sending
    again with a new OAuth token). DEBUG, but INFO for a retry, a renewal and an ambiguous
    outcome (what ``MIJNKLANTPORTAAL_LOG=info`` shows). The same facts go in the record's
    ``mkp_*`` attributes for structured logging. ``params`` are never logged (they can hold
    personal data), and nothing here carries a secret."""
    level = logging.INFO if outcome in ("retry", "renew", "ambiguous") else logging.DEBUG
    if not logger.isEnabledFor(level):
        return
    tail = ""
    if outcome == "retry":
        tail = f"; retrying in {delay:.2f} s"
    elif outcome == "renew":
        tail = "; the token was renewed, sending again"
    elif outcome == "ambiguous":
        tail = "; outcome unknown, not resent"
    logger.log(
        level,
        "%s %s -> %s in %.0f ms (attempt %d, %s)%s",
        method,
        path,
        result,
        elapsed_ms,
        attempt,
        operation_id,
        tail,
        extra={
            "mkp_method": method,
            "mkp_path": path,
            "mkp_status": result,
            "mkp_elapsed_ms": round(elapsed_ms, 1),
            "mkp_attempt": attempt,
            "mkp_operation_id": operation_id,
            "mkp_outcome": outcome,
        },
    )
