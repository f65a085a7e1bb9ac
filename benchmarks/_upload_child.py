"""Child process of the upload-memory benchmark: upload one PDF, report RSS as JSON.

``python -m benchmarks._upload_child BASE_URL CUSTOMER_ID PDF_PATH`` with the API key in
``MIJNKLANTPORTAAL_API_KEY``. After the imports, the client and one small warm-up upload (so
every code path and the connection exist) the baseline is read from ``/proc/self/status``;
the peak counter (VmHWM) is reset to it where the kernel allows (``/proc/self/clear_refs``),
then the PDF is uploaded from its path. Prints one JSON object on stdout; sizes in KiB.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from benchmarks._common import PDF, invoice
from mijnklantportaal_async import MijnKlantportaal


def status_kib() -> dict[str, int]:
    """VmRSS and VmHWM of this process in KiB (empty off Linux)."""
    found: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found[name] = int(rest.split()[0])
    except OSError:
        pass
    return found


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS; False when the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


async def upload(base_url: str, customer_id: str, pdf: Path) -> dict[str, object]:
    """Warm up, take the baseline, upload ``pdf``, take the peak."""
    async with MijnKlantportaal(base_url=base_url, sandbox=True, rate_limit=None) as mkp:
        await mkp.customer_invoices.create(invoice(customer_id, 0, PDF))
        baseline = status_kib()
        peak_reset = reset_peak()
        before = status_kib()
        started = time.perf_counter()
        created = await mkp.customer_invoices.create(invoice(customer_id, 1, pdf))
        seconds = time.perf_counter() - started
        after = status_kib()
    return {
        "invoice_id": created.id,
        "seconds": seconds,
        "baseline_rss_kib": baseline.get("VmRSS"),
        "baseline_hwm_kib": before.get("VmHWM"),
        "peak_reset": peak_reset,
        "peak_hwm_kib": after.get("VmHWM"),
        "end_rss_kib": after.get("VmRSS"),
        "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def main(argv: list[str]) -> None:
    """Entry point: ``BASE_URL CUSTOMER_ID PDF_PATH``."""
    base_url, customer_id, path = argv
    result = asyncio.run(upload(base_url, customer_id, Path(path)))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
