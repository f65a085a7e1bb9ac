"""asyncio-first client for the MijnKlantportaal REST API."""
