"""The rate limiter's schedule on Redis, shared by every process that uses one API key.

:class:`RedisWindow` keeps :class:`~mijnklantportaal_async._core.rate_window.MemoryWindow`'s
schedule in two Redis keys per limiter key: the log of sends (a sorted set scored by time) and
the end of a 429's block (a string that expires with it). One Lua script reserves a send
atomically on Redis's own clock (``TIME``), so processes on several hosts need no synchronised
clocks; the caller sleeps the returned wait. The log expires two holds after the last reserved
send. Needs the ``redis``
package (``pip install 'mijnklantportaal-async[redis]'``); this module is imported only when a
``redis://`` storage URI is used.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any

from mijnklantportaal_async._core.rate_window import Correction, Grant, Late, Window, redacted
from mijnklantportaal_async.errors import APIConnectionError

__all__ = ["RESERVE", "RedisWindow"]

RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local limit, hold, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local interval, spread = hold / limit, hold / (limit - burst + 1)
local token, n_late = ARGV[5], tonumber(ARGV[6])
local function fmt(x) return string.format('%.6f', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. fmt(now - 2 * hold))
for i = 0, n_late - 1 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[8 + 2 * i], ARGV[7 + 2 * i])
end
local c = 7 + 2 * n_late
if ARGV[c] then
  local own = redis.call('ZCOUNT', KEYS[1], '(' .. fmt(tonumber(ARGV[c]) - hold), ARGV[c + 1])
  for i = 1, tonumber(ARGV[c + 2]) - own do
    redis.call('ZADD', KEYS[1], now, token .. ':other:' .. i)
  end
end
local block = tonumber(ARGV[4])
if block > 0 and now + block > tonumber(redis.call('GET', KEYS[2]) or 0) then
  redis.call('SET', KEYS[2], fmt(now + block), 'PX', math.ceil(block * 1000))
end
local at = math.max(now, tonumber(redis.call('GET', KEYS[2]) or 0))
local recent = redis.call('ZREVRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
local n = #recent / 2
if n > 0 and redis.call('ZCOUNT', KEYS[1], '(' .. fmt(at - hold), '+inf') >= burst then
  at = math.max(at, tonumber(recent[2]) + interval)
end
for j = burst, n do
  local sent = tonumber(recent[2 * j])
  if sent <= at - hold then break end
  at = math.max(at, sent + (j - burst + 1) * spread)
end
redis.call('ZADD', KEYS[1], at, token)
redis.call('PEXPIRE', KEYS[1], math.ceil((at - now + 2 * hold) * 1000))
return {fmt(at), fmt(at - now)}
"""
"""The rules of :meth:`MemoryWindow.reserve`, on Redis's clock. KEYS: the send log (members
are reservation tokens), the block's end. ARGV: limit, hold, burst, not_before (seconds from
now), token, the number of late sends and a (token, to) pair for each, then optionally
the correction's sent_at, answered_at (Redis clock) and used. Returns the reserved send time
and the wait, as strings (Redis would truncate Lua numbers)."""

IN_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
return redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.6f', now - tonumber(ARGV[1])),
  string.format('%.6f', now))
"""


class RedisWindow:
    """One key's schedule on the Redis at ``uri`` (``redis://``, ``rediss://``, ``unix://``).

    The connection is made on first use, in the running event loop, and closed by
    :meth:`aclose`. A Redis error is raised as :class:`APIConnectionError` (``sent=False``:
    no request went out), naming the URI without its password.
    """

    def __init__(self, uri: str, key: str) -> None:
        try:
            import redis.asyncio  # noqa: F401 (checked now, used on first reserve)
        except ImportError:
            raise ValueError(
                f"storage_uri: {redacted(uri)!r} needs the redis package: "
                "pip install 'mijnklantportaal-async[redis]'"
            ) from None
        self._uri = uri
        prefix = f"mijnklantportaal:{{{key}}}"
        self._keys = [f"{prefix}:sends", f"{prefix}:blocked"]
        self._client: Any = None
        self._scripts: dict[str, Any] = {}

    async def _run(self, source: str, keys: list[str], args: list[Any]) -> Any:
        import redis.asyncio
        import redis.exceptions

        if self._client is None:
            self._client = redis.asyncio.Redis.from_url(self._uri)
            self._scripts = {s: self._client.register_script(s) for s in (RESERVE, IN_WINDOW)}
        try:
            return await self._scripts[source](keys=keys, args=args)
        except (redis.exceptions.RedisError, OSError) as exc:
            reason = str(exc)
            password = urllib.parse.urlsplit(self._uri).password
            if password:
                reason = reason.replace(password, "***")
            message = f"rate-limit store {redacted(self._uri)} failed: {reason}"
            raise APIConnectionError(message, sent=False) from None

    async def reserve(
        self,
        window: Window,
        *,
        token: str,
        not_before: float = 0.0,
        late: Sequence[Late] = (),
        correction: Correction | None = None,
    ) -> Grant:
        args: list[Any] = [window.limit, repr(window.hold), window.burst, repr(not_before)]
        args += [token, len(late)]
        for send in late:
            args += [send.token, repr(send.to)]
        if correction is not None:
            args += [repr(correction.sent_at), repr(correction.answered_at), correction.used]
        at, wait = await self._run(RESERVE, self._keys, args)
        return Grant(at=float(at), wait=float(wait))

    async def in_window(self, window: Window) -> int:
        count: int = await self._run(IN_WINDOW, self._keys[:1], [repr(window.hold)])
        return count

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
