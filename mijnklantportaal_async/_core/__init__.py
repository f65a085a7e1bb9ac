"""The one request path every API call takes (private; see ``docs/architecture.md``).

``operations`` lists each API operation once; ``http`` sends a request (rate limit, retries,
error mapping, parsing into the response model); ``wire`` converts models to and from the wire;
``multipart`` streams file uploads; ``retry`` holds the pure retry decisions; ``settings`` the
client's timeouts and retry policy; ``log`` the logger and what keeps secrets out of it.
Nothing here imports the bulk engine, the CLI or the resources.
"""
