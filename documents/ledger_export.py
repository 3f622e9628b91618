"""The complaint ledger and the audit trail as files (XLSX or CSV, documents/table_export.py), from the
rows domain/reports/ledger.py and domain/reports/audit.py assemble. The ledger's headers are in both
languages (the company's first), the audit trail's too."""
from __future__ import annotations

from documents.table_export import csv_bytes, xlsx_bytes
from domain.policy import Policy
from domain.reports.audit import AUDIT_COLUMNS, AUDIT_HEADERS
from domain.reports.ledger import bilingual_header, columns, key

LEDGER_TITLE = {"en": "Complaint ledger", "zh": "顾客抱怨信息台帐"}
AUDIT_TITLE = {"en": "Audit trail", "zh": "操作记录"}


def _ledger_table(policy: Policy, rows: list[dict]) -> tuple[list[str], list[list]]:
    cols = columns(policy)
    return [bilingual_header(policy, f, m) for f, m in cols], [[row[key(f, m)] for f, m in cols] for row in rows]


def as_csv(policy: Policy, rows: list[dict]) -> bytes:
    return csv_bytes(*_ledger_table(policy, rows))


def as_xlsx(policy: Policy, rows: list[dict]) -> bytes:
    return xlsx_bytes(LEDGER_TITLE[policy.company.language], *_ledger_table(policy, rows))


def ledger_file(policy: Policy, rows: list[dict], fmt: str) -> bytes:
    return as_xlsx(policy, rows) if fmt == "xlsx" else as_csv(policy, rows)


def audit_file(policy: Policy, rows: list[dict], fmt: str) -> bytes:
    lang = policy.company.language
    other = "zh" if lang == "en" else "en"
    headers = [f"{AUDIT_HEADERS[c][lang]} / {AUDIT_HEADERS[c][other]}" for c in AUDIT_COLUMNS]
    values = [[row[c] for c in AUDIT_COLUMNS] for row in rows]
    return xlsx_bytes(AUDIT_TITLE[lang], headers, values) if fmt == "xlsx" else csv_bytes(headers, values)
