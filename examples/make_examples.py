"""Generate the example import: ``customers.csv``, ``invoices.csv``, ``offers.csv`` and ``pdf/``.

Run ``python examples/make_examples.py`` (needs ``fpdf2``, in the ``[test]`` extra) to rewrite the
files next to this script. The data is fixed, so the output is the same on every run and every
machine: 8 customers, 20 invoices and 10 offers, each invoice and offer with a small real PDF
(about 1.5 KB) that shows its number, customer, date and amount in EUR.

The CSVs are what ``mijnklantportaal import examples/ --sandbox`` reads: comma-separated,
UTF-8, decimal points, one column per request field (snake_case); invoices and offers name their
customer by ``customer_email``, and ``pdf`` paths are relative to the CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2024, 5, 1, 9, 0, 0, tzinfo=dt.UTC)
SENDER = ("Voorbeeld Administratie BV", "Keizersgracht 100", "1015 AA Amsterdam")

# company_name | address | zip_code | city | country_code ("" = not given: NL) | primary_email
_CUSTOMER_TABLE = """\
Bakkerij De Korenschoof BV|Dorpsstraat 12|3581AB|Utrecht||info@korenschoof.example
Fietsenmakerij Van Dam|Kanaalweg 4|1013AA|Amsterdam||administratie@vandamfietsen.example
Studio Noord VOF|Noorderhaven 88|9712VB|Groningen||studio@studionoord.example
Hoveniersbedrijf Jansen|Lindelaan 3|5611AA|Eindhoven|NL|tuin@jansenhoveniers.example
Kapsalon Knip & Co|Marktplein 7|2011AB|Haarlem||afspraak@knipenco.example
Brouwerij 't Hoppeke BV|Havenkade 21|4811CD|Breda||bier@hoppeke.example
Drukkerij Lettergrijs|Ambachtsweg 9|6541AA|Nijmegen||orders@lettergrijs.example
Atelier Lumière SRL|Rue de la Loi 16|1000|Brussel|BE|contact@atelierlumiere.example
"""
CUSTOMERS: list[list[str]] = [line.split("|") for line in _CUSTOMER_TABLE.splitlines()]

SERVICES = [
    ("Onderhoud website", Decimal("95.00")),
    ("Hosting, 12 maanden", Decimal("120.00")),
    ("Ontwerp huisstijl", Decimal("450.00")),
    ("Drukwerk folders (500 st.)", Decimal("89.95")),
    ("Advies, per uur", Decimal("75.00")),
    ("Fotografie, dagdeel", Decimal("325.00")),
]
VAT = Decimal("0.21")


def _amount(n: int) -> tuple[str, Decimal]:
    """A fixed service line and its total in EUR including 21 % VAT for item ``n``."""
    description, price = SERVICES[n % len(SERVICES)]
    quantity = 1 + n % 3
    total = (price * quantity * (1 + VAT)).quantize(Decimal("0.01"))
    return f"{quantity} x {description}", total


def _pdf(
    path: Path,
    *,
    title: str,
    number: str,
    customer: list[str],
    day: dt.date,
    line: str,
    amount: Decimal,
    extra: str,
) -> None:
    """Write one small invoice or offer PDF (core font, compressed: about 1.5 KB)."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title(f"{title} {number}")
    pdf.set_author(SENDER[0])
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for text in SENDER:
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    name, address, zip_code, city = customer[:4]
    for text in (name, address, f"{zip_code} {city}"):
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 6, f"Nummer: {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Datum: {day.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, extra, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(130, 7, line, border="B")
    pdf.cell(0, 7, "incl. 21% btw", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(130, 9, "Totaal")
    pdf.cell(0, 9, f"EUR {amount:.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make(out: Path = HERE) -> None:
    """Write the CSVs and PDFs under ``out`` (created if missing)."""
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    header = ["company_name", "address", "zip_code", "city", "country_code", "primary_email"]
    _write_csv(out / "customers.csv", header, CUSTOMERS)

    invoices: list[list[str]] = []
    for n in range(1, 21):
        customer = CUSTOMERS[(n - 1) % len(CUSTOMERS)]
        number = f"2024-{n:04d}"
        issued = dt.date(2024, 1, 1) + dt.timedelta(days=9 * n)
        due = issued + dt.timedelta(days=30)
        paid = f"{due - dt.timedelta(days=3)} 10:15:00" if n % 3 == 0 else ""
        line, amount = _amount(n)
        name = f"invoice-{number}.pdf"
        _pdf(
            pdf_dir / name,
            title="FACTUUR",
            number=number,
            customer=customer,
            day=issued,
            line=line,
            amount=amount,
            extra=f"Te betalen voor: {due.isoformat()}",
        )
        invoices.append(
            [
                number,
                customer[5],
                issued.isoformat(),
                due.isoformat(),
                paid,
                str(amount),
                "no",
                f"pdf/{name}",
            ]
        )
    _write_csv(
        out / "invoices.csv",
        [
            "invoice_number",
            "customer_email",
            "issued_at",
            "due_at",
            "paid_at",
            "amount",
            "send_notification",
            "pdf",
        ],
        invoices,
    )

    offers: list[list[str]] = []
    for n in range(1, 11):
        customer = CUSTOMERS[(n * 3) % len(CUSTOMERS)]
        number = f"OFF-2024-{n:03d}"
        issued = dt.date(2024, 2, 1) + dt.timedelta(days=11 * n)
        expires = issued + dt.timedelta(days=30)
        accepted = f"{issued + dt.timedelta(days=5)} 14:30:00" if n % 4 == 0 else ""
        line, amount = _amount(n + 2)
        name = f"offer-{number}.pdf"
        _pdf(
            pdf_dir / name,
            title="OFFERTE",
            number=number,
            customer=customer,
            day=issued,
            line=line,
            amount=amount,
            extra=f"Geldig tot: {expires.isoformat()}",
        )
        offers.append(
            [
                number,
                customer[5],
                issued.isoformat(),
                expires.isoformat(),
                str(amount),
                accepted,
                "no",
                f"pdf/{name}",
            ]
        )
    _write_csv(
        out / "offers.csv",
        [
            "offer_number",
            "customer_email",
            "issued_at",
            "expires_at",
            "amount",
            "accepted_at",
            "send_notification",
            "pdf",
        ],
        offers,
    )


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
