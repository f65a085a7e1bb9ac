"""FakePortal request handlers, one module per API area; ``routes.py`` maps operations to them."""
