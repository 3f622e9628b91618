"""The audit pack on the history of tests/ledger_history.py: `voc export audit-pack` writes one ZIP with
the ledger, the 8Ds, the audit trail, the month's and year's figures, the satisfaction breakdown and a
bilingual index by IATF 16949 clause; the open nonconformities are the overdue VOC-4 alone in a clean
run, and VOC-1 as well once its closure is forged (closed by *Request closure*, never approved)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.audit_pack import index_md
from domain.reports.audit_pack import audit_pack, open_nonconformities
from tests.ledger_history import FORMULA, NOW, history

VOC = str(Path(sys.executable).parent / "voc")
ROOT = Path(__file__).resolve().parent.parent
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def export(db_url, tmp_path, *more):
    out = tmp_path / "pack.zip"
    done = subprocess.run([VOC, "export", "audit-pack", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out), *more],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "DATABASE_URL": db_url})
    assert done.returncode == 0, done.stderr
    return zipfile.ZipFile(out), done.stdout


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_open_nonconformities_are_the_overdue_item_and_a_forged_closure(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        clean = open_nonconformities(s, policy, *NOVEMBER, NOW)
    db.dispose()
    assert [(n.ref, n.what, n.detail) for n in clean] == [("VOC-4", "overdue", "first_contact 2026-11-10 11:00")]


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_closure_forged_in_the_database_is_an_open_nonconformity(db_url, policy):
    db = history(db_url, forged_closure=True)
    with db.session() as s:
        found = open_nonconformities(s, policy, *NOVEMBER, NOW)
    db.dispose()
    assert [(n.ref, n.what, n.detail) for n in found] == [("VOC-1", "closed_without_qm_approval", "request_closure"),
                                                          ("VOC-4", "overdue", "first_contact 2026-11-10 11:00")]


def test_an_aa_complaint_closed_with_an_action_never_approved_is_an_open_nonconformity(clean_pg, policy):
    db = history(clean_pg, unapproved_action=True)
    with db.session() as s:
        found = open_nonconformities(s, policy, *NOVEMBER, NOW)
    db.dispose()
    assert [(n.ref, n.what) for n in found] == [("VOC-1", "closed_with_actions_unapproved"), ("VOC-4", "overdue")]
    assert found[0].detail.startswith("P")  # the preventive action


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_voc_export_audit_pack_writes_one_zip_with_an_index_by_clause(db_url, tmp_path):
    history(db_url).dispose()
    pack, said = export(db_url, tmp_path)
    assert sorted(pack.namelist()) == ["8d/VOC-1-8D.pdf", "audit-trail.xlsx", "index.md", "ledger.xlsx", "reports/2026-11.json",
                                       "reports/2026.json", "satisfaction.xlsx"]
    assert said.strip().endswith("5 item(s), 1 8D(s), 1 open nonconformity(ies) from 2026-11-01 to 2026-11-30 written to "
                                 + str(tmp_path / "pack.zip"))
    ledger = load_workbook(io.BytesIO(pack.read("ledger.xlsx"))).active
    assert [r[0] for r in ledger.iter_rows(min_row=2, values_only=True)] == ["VOC-1", "VOC-2", "VOC-3", "VOC-4", "VOC-5"]
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.read("8d/VOC-1-8D.pdf"))).pages)
    assert "VOC-1" in pdf and "press force too high" in pdf
    trail = load_workbook(io.BytesIO(pack.read("audit-trail.xlsx"))).active
    assert [(r[1], r[3]) for r in trail.iter_rows(min_row=2, values_only=True)] == [("VOC-3", "withdrawn"),
                                                                                   ("VOC-1", "lifecycle.send_8d")]
    month = json.loads(pack.read("reports/2026-11.json"))
    assert (month["new"]["total"], month["withdrawn"], month["overdue"]) == (3, 2, 1)
    satisfaction = load_workbook(io.BytesIO(pack.read("satisfaction.xlsx")))
    assert [r[:2] for r in satisfaction.active.iter_rows(min_row=2, values_only=True)] == [(FORMULA, 2026), ("Geely Auto", 2026)]
    index = pack.read("index.md").decode()
    clauses = index.split("## Clauses / 条款")[1].split("## Records")[0].strip().splitlines()[2:]
    assert clauses == [
        "| 10.2.3 | Problem solving / 问题解决 | ledger.xlsx, audit-trail.xlsx, 8d/ | 1 |",
        "| 10.2.4 | Error-proofing / 防错 | 8d/ | 1 |",
        "| 10.2.5 | Warranty management systems / 保修管理体系 | ledger.xlsx, reports/ | 1 |",
        "| 10.2.6 | Customer complaints and field failure test analysis / 顾客投诉和使用现场失效试验分析 | ledger.xlsx, "
        "audit-trail.xlsx, 8d/, reports/ | 3 |",
        "| 9.1.2.1 | Customer satisfaction / 顾客满意 | reports/, satisfaction.xlsx | 2 |"]
    records = index.split("## Records / 记录")[1].split("## Open")[0].strip().splitlines()[2:]
    assert records == ["| VOC-1 | complaint | closed | 10.2.6, 10.2.3, 10.2.4, 10.2.5 | 8d/VOC-1-8D.pdf |",
                       "| VOC-2 | complaint | withdrawn | 10.2.6 | — |",
                       "| VOC-3 | inquiry | withdrawn | 9.1.2.1 | — |",
                       "| VOC-4 | complaint | received | 10.2.6 | — |",
                       "| VOC-5 | praise | received | 9.1.2.1 | — |"]
    assert index.split("## Open nonconformities / 未关闭的不符合项")[1].strip().splitlines()[2:] == [
        "| VOC-4 | Overdue / 逾期 | first_contact 2026-11-10 11:00 |"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_one_customers_pack_holds_that_customer_only_and_no_company_figures(db_url, tmp_path):
    history(db_url).dispose()
    pack, _ = export(db_url, tmp_path, "--customer", "Geely Auto")
    assert sorted(pack.namelist()) == ["audit-trail.xlsx", "index.md", "ledger.xlsx", "satisfaction.xlsx"]
    ledger = load_workbook(io.BytesIO(pack.read("ledger.xlsx"))).active
    assert [r[0] for r in ledger.iter_rows(min_row=2, values_only=True)] == ["VOC-5"]
    assert load_workbook(io.BytesIO(pack.read("audit-trail.xlsx"))).active.max_row == 1  # VOC-5 has no events
    index = pack.read("index.md").decode()
    assert "Open nonconformities / 未关闭的不符合项\n\nNone. / 无。" in index and "Geely Auto" in index


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_pack_made_in_slack_holds_at_most_its_limit_of_8ds_and_names_the_rest(db_url, policy):
    db = history(db_url)
    with db.session() as s:
        pack = audit_pack(s, policy, *NOVEMBER, NOW, eightd_limit=0)
        assert (pack.eightd_ids, pack.eightds_left_out, list(pack.eightds())) == ([], ["VOC-1"], [])
    db.dispose()
    assert "1 more 8D(s) than one pack sent in Slack holds are left out (VOC-1): `voc export audit-pack` writes them all." \
        in index_md(pack, ["ledger.xlsx"])
