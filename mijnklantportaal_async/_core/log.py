"""The package logger, its per-attempt line, and what keeps the API key out of everything printable.

``logger`` is ``logging.getLogger("mijnklantportaal_async")``: :func:`log_attempt` writes the one
DEBUG line per attempt on it, never the key. :class:`Secret` holds the key so that a repr, a
str or an f-string of whatever holds it shows ``'***'`` (and it refuses to be pickled);
:func:`redact` / :func:`redact_body` remove the key from what a server sent back (an error page
that echoes the request headers, for example).
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

__all__ = ["REDACTED", "Secret", "log_attempt", "logger", "redact", "redact_body", "secret_key"]

logger = logging.getLogger("mijnklantportaal_async")

REDACTED = "[redacted]"


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


def redact(text: str, secret: Secret) -> str:
    """``text`` with every occurrence of the secret (also JSON-escaped, ``\\/`` for ``/``)
    replaced by ``[redacted]``."""
    value = secret.reveal()
    if not value:
        return text
    for form in {value, value.replace("/", "\\/")}:
        text = text.replace(form, REDACTED)
    return text


def redact_body(body: Any, secret: Secret) -> Any:
    """A parsed response body (JSON values, or text) with the secret redacted in every string."""
    if isinstance(body, str):
        return redact(body, secret)
    if isinstance(body, dict):
        return {redact(str(k), secret): redact_body(v, secret) for k, v in body.items()}
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
    """One DEBUG line for one attempt: ``POST /customers -> 503 in 12 ms (attempt 1,
    create-customer); retrying in 1.00 s``. ``result`` is the status or the exception class
    name; ``outcome`` a ``retry.Outcome`` value. The same facts go in the record's ``mkp_*``
    attributes for structured logging. ``params`` are never logged (they can hold personal
    data), and nothing here carries the key."""
    tail = ""
    if outcome == "retry":
        tail = f"; retrying in {delay:.2f} s"
    elif outcome == "ambiguous":
        tail = "; outcome unknown, not resent"
    logger.debug(
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
