"""Reading bookkeeping CSV exports into request objects (``cli.reading``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from mijnklantportaal_async import (
    Customer,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
)
from mijnklantportaal_async.cli.reading import (
    PLACEHOLDER_CUSTOMER_ID,
    CsvFile,
    CsvFileError,
    CustomerDirectory,
    Kind,
    RowError,
    parse_bool,
    parse_datetime,
    parse_money,
)
from mijnklantportaal_async.errors import RequestValidationError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
CUSTOMER_HEADER = "company_name,address,zip_code,city,primary_email,country_code\n"


def write(folder: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def pdf(folder: Path, name: str = "pdf/a.pdf") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    return path


def build_all(
    csv_file: CsvFile, directory: CustomerDirectory | None = None
) -> list[CustomerCreate | CustomerInvoiceCreate | CustomerOfferCreate]:
    return [csv_file.build(row, directory) for row in csv_file.rows()]


def test_comma_file_builds_customers(tmp_path: Path) -> None:
    path = write(
        tmp_path, "c.csv", CUSTOMER_HEADER + "Acme BV,Kade 1,1011AA,Amsterdam,a@acme.nl,\n"
    )
    csv_file = CsvFile(path, Kind.CUSTOMERS)
    assert csv_file.delimiter == ","
    assert build_all(csv_file) == [
        CustomerCreate(
            company_name="Acme BV",
            address="Kade 1",
            zip_code="1011AA",
            city="Amsterdam",
            primary_email="a@acme.nl",
        )
    ]


def test_semicolon_file_with_bom_and_decimal_commas(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = (
        "invoice_number;customer_id;issued_at;amount;pdf\n"
        "2024-001;cst_1;29-04-2024;12,95;pdf/a.pdf\n"
        "2024-002;cst_1;2024-04-29;€ 1.234,56;pdf/a.pdf\n"
    )
    path = write(tmp_path, "i.csv", text, bom=True)
    csv_file = CsvFile(path, Kind.INVOICES, decimal_comma=True)
    assert csv_file.delimiter == ";"
    assert csv_file.columns[0] == "invoice_number"  # the BOM is not part of the first name
    first, second = build_all(csv_file)
    assert isinstance(first, CustomerInvoiceCreate)
    assert isinstance(second, CustomerInvoiceCreate)
    assert (first.issued_at, first.amount) == (dt.date(2024, 4, 29), Decimal("12.95"))
    assert second.amount == Decimal("1234.56")


def test_tab_separated_file_is_recognised(tmp_path: Path) -> None:
    text = CUSTOMER_HEADER.replace(",", "\t") + "A BV\tKade 1\t1011AA\tAmsterdam\ta@a.nl\tBE\n"
    csv_file = CsvFile(write(tmp_path, "c.tsv", text), Kind.CUSTOMERS)
    [customer] = build_all(csv_file)
    assert isinstance(customer, CustomerCreate)
    assert customer.country_code == "BE"


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("12.95", False, "12.95"),
        ("1,234.56", False, "1234.56"),
        ("1,234", False, "1234"),
        ("-5.00", False, "-5.00"),
        ("€ 12.95", False, "12.95"),
        ("12,95", True, "12.95"),
        ("1.234,56", True, "1234.56"),
        ("1.234", True, "1234"),
        ("1 234,56", True, "1234.56"),
        ("1\u00a0234.56", False, "1234.56"),
        ("1,234,567.89", False, "1234567.89"),
        ("-€ 12.95", False, "-12.95"),
        ("12.95 EUR", False, "12.95"),
    ],
)
def test_money_formats(text: str, decimal_comma: bool, expected: str) -> None:
    assert parse_money("amount", text, decimal_comma=decimal_comma) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "hint"),
    [
        ("12,95", False, "pass --decimal-comma"),
        ("1.234,56", False, "pass --decimal-comma"),
        ("12.95", True, "--decimal-comma was given"),
        ("twelve", False, "not an amount"),
        ("1,2,3", False, "groups of three"),
        ("1.2.3,45", True, "groups of three"),
        ("1,234 567.00", False, "groups of three"),
        ("1.23E+05", False, "scientific notation: Excel shows large numbers that way"),
        ("1E2", False, "format the column as a number"),
        ("\u0661\u0662\u0663", False, "write it with the digits 0-9"),
        ("1_000", False, "not an amount"),
        ("12.95-", False, "not an amount"),
        (
            "1.234",
            False,
            "'1.234' has 3 decimals; amounts are in EUR cents (at most 2); if the "
            "file writes 1.234,56, pass --decimal-comma",
        ),
        ("1,234", True, "if the file writes 1,234.56, leave out --decimal-comma"),
    ],
)
def test_money_that_contradicts_the_setting_is_refused(
    text: str, decimal_comma: bool, hint: str
) -> None:
    with pytest.raises(RequestValidationError) as info:
        parse_money("amount", text, decimal_comma=decimal_comma)
    assert info.value.field == "amount"
    assert hint in info.value.reason
    assert "Decimal(" not in info.value.reason


def test_more_than_2_decimals_is_said_without_a_python_repr() -> None:
    with pytest.raises(RequestValidationError) as info:
        parse_money("amount", "0.001")
    assert info.value.reason == "'0.001' has 3 decimals; amounts are in EUR cents (at most 2)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("0", False), ("true", True), ("FALSE", False), ("yes", True),
     ("No", False), ("ja", True), ("nee", False), ("WAAR", True), ("onwaar", False)],
)  # fmt: skip
def test_booleans(text: str, expected: bool) -> None:
    assert parse_bool("send_notification", text) is expected


def test_a_non_boolean_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="not a yes/no value"):
        parse_bool("send_notification", "maybe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-11 12:59:00", dt.datetime(2024, 5, 11, 12, 59)),
        ("2024-05-11 12:59", dt.datetime(2024, 5, 11, 12, 59)),
        ("11-05-2024 12:59:30", dt.datetime(2024, 5, 11, 12, 59, 30)),
        ("2024-05-11", dt.datetime(2024, 5, 11)),
        (
            "2024-05-11T12:59:00+02:00",
            dt.datetime(2024, 5, 11, 12, 59, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
    ],
)
def test_date_times(text: str, expected: dt.datetime) -> None:
    assert parse_datetime("paid_at", text) == expected


def test_impossible_dates_are_refused_with_line_and_field(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = "invoice_number,customer_id,issued_at,amount,pdf,paid_at\n"
    text += "1,cst_1,2024-04-31,1.00,pdf/a.pdf,2024-02-30 10:00:00\n"
    csv_file = CsvFile(write(tmp_path, "i.csv", text), Kind.INVOICES)
    [row] = csv_file.rows()
    with pytest.raises(RowError) as info:
        csv_file.build(row)
    assert info.value.messages() == [
        "line 2: issued_at: '2024-04-31' is not a real date",
        "line 2: paid_at: '2024-02-30' is not a real date",
    ]


def test_every_bad_cell_of_a_row_is_listed_with_the_file_line(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = (
        "invoice_number,customer_id,issued_at,amount,pdf,send_notification\n"
        "1,cst_1,2024-04-29,1.00,pdf/a.pdf,1\n"
        '2,cst_1,2024-04-29,1.00,pdf/a.pdf,"maybe"\n'
        "\n"  # a blank line is skipped, but counted
        "3,cst_1,29/04/2024,12,95,pdf/a.pdf,1\n"  # 12,95 shifts the later cells
    )
    csv_file = CsvFile(write(tmp_path, "i.csv", text), Kind.INVOICES)
    rows = list(csv_file.rows())
    assert [row.line for row in rows] == [2, 3, 5]
    with pytest.raises(RowError, match="line 3: send_notification"):
        csv_file.build(rows[1])
    with pytest.raises(RowError) as info:
        csv_file.build(rows[2])
    # the split amount shifts every later cell: one error says so, not one per shifted cell
    [(field, reason)] = info.value.problems
    assert field is None
    assert reason.startswith("the line has 7 cells, the header 6: 12,95 looks like an amount")


def test_empty_cells_are_fields_not_given(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = "invoice_number,customer_id,issued_at,due_at,paid_at,amount,send_notification,pdf\n"
    text += "2024-001,cst_1,2024-04-29, ,,12.95,,pdf/a.pdf\n"
    [invoice] = build_all(CsvFile(write(tmp_path, "i.csv", text), Kind.INVOICES))
    assert isinstance(invoice, CustomerInvoiceCreate)
    assert (invoice.due_at, invoice.paid_at, invoice.send_notification) == (None, None, None)


def test_an_empty_required_cell_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", CUSTOMER_HEADER + "Acme BV,,1011AA,Amsterdam,a@acme.nl,\n")
    csv_file = CsvFile(path, Kind.CUSTOMERS)
    [row] = csv_file.rows()
    with pytest.raises(RowError, match="line 2: address: required, but the cell is empty"):
        csv_file.build(row)


def test_pdf_paths_are_relative_to_the_csv_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = pdf(tmp_path / "export", "pdf/2024-001.pdf")
    text = "offer_number,customer_id,issued_at,expires_at,amount,pdf\n"
    text += "O-1,cst_1,2024-04-29,2024-05-29,10.00,pdf/2024-001.pdf\n"
    path = write(tmp_path / "export", "offers.csv", text)
    monkeypatch.chdir(tmp_path)
    [offer] = build_all(CsvFile(Path("export/offers.csv"), Kind.OFFERS))
    assert isinstance(offer, CustomerOfferCreate)
    assert offer.pdf.filename == "2024-001.pdf"
    assert offer.pdf.size == len(PDF)
    assert path.parent / "pdf" / "2024-001.pdf" == target


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"<html>not a pdf</html>")
    text = "invoice_number,customer_id,issued_at,amount,pdf\n1,cst_1,2024-04-29,1.00,a.pdf\n"
    csv_file = CsvFile(write(tmp_path, "i.csv", text), Kind.INVOICES)
    [row] = csv_file.rows()
    with pytest.raises(RowError, match="line 2: pdf: is not a PDF"):
        csv_file.build(row)


def offers_by_email(tmp_path: Path, *emails: str) -> CsvFile:
    pdf(tmp_path)
    text = "offer_number,customer_email,customer_id,issued_at,expires_at,amount,pdf\n"
    for n, email in enumerate(emails):
        text += f"O-{n},{email},,2024-04-29,2024-05-29,1.00,pdf/a.pdf\n"
    return CsvFile(write(tmp_path, "o.csv", text), Kind.OFFERS)


def test_customer_email_is_resolved_case_insensitively(tmp_path: Path) -> None:
    csv_file = offers_by_email(tmp_path, "Info@Acme.NL")
    assert csv_file.uses_customer_email
    directory = CustomerDirectory([("info@acme.nl", "cst_acme"), ("b@b.nl", "cst_b")])
    [offer] = build_all(csv_file, directory)
    assert isinstance(offer, CustomerOfferCreate)
    assert offer.customer_id == "cst_acme"


def test_without_a_directory_the_email_stands_in_with_a_placeholder(tmp_path: Path) -> None:
    [offer] = build_all(offers_by_email(tmp_path, "info@acme.nl"))
    assert isinstance(offer, CustomerOfferCreate)
    assert offer.customer_id == PLACEHOLDER_CUSTOMER_ID


def test_unknown_and_shared_emails_fail_their_row(tmp_path: Path) -> None:
    csv_file = offers_by_email(tmp_path, "nobody@x.nl", "shared@x.nl")
    directory = CustomerDirectory([("shared@x.nl", "cst_1"), ("SHARED@x.nl", "cst_2")])
    unknown, shared = csv_file.rows()
    with pytest.raises(RowError, match="line 2: customer_email: no customer with e-mail"):
        csv_file.build(unknown, directory)
    with pytest.raises(RowError, match=r"2 customers .*cst_1, cst_2.*give customer_id"):
        csv_file.build(shared, directory)


def test_customer_id_wins_over_customer_email(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = "offer_number,customer_email,customer_id,issued_at,expires_at,amount,pdf\n"
    text += "O-1,nobody@x.nl,cst_given,2024-04-29,2024-05-29,1.00,pdf/a.pdf\n"
    [offer] = build_all(CsvFile(write(tmp_path, "o.csv", text), Kind.OFFERS), CustomerDirectory())
    assert isinstance(offer, CustomerOfferCreate)
    assert offer.customer_id == "cst_given"


async def test_directory_reads_the_customer_list() -> None:
    async def customers() -> AsyncIterator[Customer]:
        yield Customer(id="cst_1", primary_email="A@a.nl")
        yield Customer(id="cst_2", primary_email=None)

    directory = await CustomerDirectory.from_customers(customers())
    assert len(directory) == 1
    assert directory.resolve("a@A.nl") == "cst_1"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("company_name,adress,zip_code,city,primary_email", "unknown column 'adress'"),
        ("company_name,zip_code,city,primary_email", "missing column(s): address"),
        ("company_name,address,zip_code,city,primary_email,city", "'city' appears twice"),
    ],
)
def test_header_problems_refuse_the_file_at_line_1(
    tmp_path: Path, header: str, message: str
) -> None:
    with pytest.raises(CsvFileError, match="line 1: ") as info:
        CsvFile(write(tmp_path, "c.csv", header + "\n"), Kind.CUSTOMERS)
    assert message in str(info.value)


def test_manual_offer_lines_are_refused_clearly(tmp_path: Path) -> None:
    header = "offer_number,customer_id,issued_at,expires_at,lines\n"
    with pytest.raises(CsvFileError, match="create_manual"):
        CsvFile(write(tmp_path, "o.csv", header), Kind.OFFERS)


def test_an_invoice_file_needs_a_customer_column(tmp_path: Path) -> None:
    header = "invoice_number,issued_at,amount,pdf\n"
    with pytest.raises(CsvFileError, match="customer_id or customer_email"):
        CsvFile(write(tmp_path, "i.csv", header), Kind.INVOICES)


def test_a_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(
        (CUSTOMER_HEADER + "Caf\xe9 BV,Kade 1,1011AA,Amsterdam,a@a.nl,\n").encode("cp1252")
    )
    csv_file = CsvFile(path, Kind.CUSTOMERS)  # the header line is fine
    with pytest.raises(CsvFileError, match="line 2: not UTF-8"):
        list(csv_file.rows())


MODELS = {
    Kind.CUSTOMERS: CustomerCreate,
    Kind.INVOICES: CustomerInvoiceCreate,
    Kind.OFFERS: CustomerOfferCreate,
}
REQUIRED = {
    Kind.CUSTOMERS: ("company_name", "address", "zip_code", "city", "primary_email"),
    Kind.INVOICES: ("invoice_number", "issued_at", "amount", "pdf"),
    Kind.OFFERS: ("offer_number", "issued_at", "expires_at", "amount", "pdf"),
}


def every_column(kind: Kind) -> list[str]:
    """The model's fields, and customer_email where the model has customer_id."""
    fields = list(attrs.fields_dict(MODELS[kind]))
    return fields + (["customer_email"] if "customer_id" in fields else [])


@pytest.mark.parametrize("kind", list(Kind))
def test_the_columns_are_the_models_fields(tmp_path: Path, kind: Kind) -> None:
    columns = every_column(kind)
    assert CsvFile(write(tmp_path, "all.csv", ",".join(columns) + "\n"), kind).columns == tuple(
        columns
    )
    with pytest.raises(CsvFileError, match="unknown column 'colour'") as info:
        CsvFile(write(tmp_path, "more.csv", ",".join([*columns, "colour"]) + "\n"), kind)
    known = str(info.value).split("; known: ")[1]
    assert sorted(known.split(", ")) == sorted(columns)


@pytest.mark.parametrize("kind", list(Kind))
def test_required_columns(tmp_path: Path, kind: Kind) -> None:
    columns = every_column(kind)
    for left_out in columns:
        header = ",".join(name for name in columns if name != left_out) + "\n"
        path = write(tmp_path, "c.csv", header)
        if left_out in REQUIRED[kind]:
            with pytest.raises(CsvFileError, match=rf"missing column\(s\): {left_out}$"):
                CsvFile(path, kind)
        else:  # optional, or customer_id / customer_email while the other is there
            CsvFile(path, kind)


def test_every_invoice_cell_is_parsed_as_its_field(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = "customer_id,invoice_number,issued_at,amount,pdf,due_at,paid_at,send_notification\n"
    text += 'cst_1,2024-001,29-04-2024,"1,234.50",pdf/a.pdf,2024-05-29,2024-05-11 12:59,ja\n'
    [invoice] = build_all(CsvFile(write(tmp_path, "i.csv", text), Kind.INVOICES))
    assert isinstance(invoice, CustomerInvoiceCreate)
    assert (invoice.issued_at, invoice.due_at) == (dt.date(2024, 4, 29), dt.date(2024, 5, 29))
    assert invoice.amount == Decimal("1234.50")
    assert invoice.paid_at is not None
    assert invoice.paid_at.replace(tzinfo=None) == dt.datetime(2024, 5, 11, 12, 59)
    assert invoice.send_notification is True
    assert invoice.pdf.filename == "a.pdf"


def test_every_offer_cell_is_parsed_as_its_field(tmp_path: Path) -> None:
    pdf(tmp_path)
    text = (
        "customer_id,offer_number,issued_at,expires_at,amount,pdf,send_notification,"
        "accepted_at,accepted_via_ip,accepted_via_user_agent\n"
        "cst_1,O-1,2024-04-29,2024-05-29,10.00,pdf/a.pdf,nee,"
        "2024-05-02 09:30:15,192.0.2.7,Firefox\n"
    )
    [offer] = build_all(CsvFile(write(tmp_path, "o.csv", text), Kind.OFFERS))
    assert isinstance(offer, CustomerOfferCreate)
    assert (offer.expires_at, offer.amount) == (dt.date(2024, 5, 29), Decimal("10.00"))
    assert offer.send_notification is False
    assert offer.accepted_at is not None
    assert offer.accepted_at.replace(tzinfo=None) == dt.datetime(2024, 5, 2, 9, 30, 15)
    assert (offer.accepted_via_ip, offer.accepted_via_user_agent) == ("192.0.2.7", "Firefox")
