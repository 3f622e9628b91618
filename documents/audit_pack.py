"""The audit pack as one ZIP (domain/reports/audit_pack.py decides what is in it):

    index.md                 bilingual: what each file is, the clause each record evidences, the open nonconformities
    ledger.xlsx              the complaint ledger (顾客抱怨信息台帐)
    audit-trail.xlsx         every event of the period
    8d/VOC-n-8D.pdf          each 8D, in the customer's report language
    visits/VOC-n-visit-k.pdf each field-service visit's report, in the customer's report language
    reports/2026-11.json     each month's and year's figures (`voc report`'s numbers, with the return rate)
    satisfaction.xlsx        each customer's score per year: A, B, composite, item rates, and what made B
    returns-without-complaint.xlsx  the returns (RMA) standing alone, received in the range (when there are any)

Written into a file-like object entry by entry: each 8D is rendered, compressed and dropped before
the next is assembled, so the pack's size on disk grows, not the memory."""
from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from io import BytesIO
from typing import BinaryIO

from openpyxl import load_workbook

from documents.eightd_export import eightd_pdf
from documents.ledger_export import as_xlsx, audit_file
from documents.table_export import text_stays_text, xlsx_bytes
from documents.visit_report import visit_pdf
from domain.requirements import requirements
from domain.reports.audit_pack import CLAUSES, AuditPack
from domain.policy import Policy

WHAT = {  # a nonconformity, in both languages
    "overdue": ("Overdue", "逾期"),
    "closed_without_qm_approval": ("Closed without the quality manager's approval", "未经品质经理批准即关闭"),
    "eight_d_sent_unapproved": ("8D sent without approval", "8D未经批准即发送"),
    "closed_without_8d": ("Closed without the 8D the customer asked for", "客户要求8D但未提交即关闭"),
    "closed_with_actions_unapproved": ("Closed with actions not approved along the approval chain", "措施未经审核批准即关闭"),
}
FILES = (  # name, what it is (en, zh), clauses
    ("ledger.xlsx", ("Complaint ledger: every filed item, withdrawn ones marked, with its returned goods and claims",
                     "顾客抱怨信息台帐：全部登记事项，含已撤销，附退货与索赔"),
     ("10.2.6", "10.2.3", "10.2.5")),
    ("audit-trail.xlsx", ("Audit trail: who did what, when", "操作记录：何人何时做了何事"), ("10.2.6", "10.2.3")),
    ("8d/", ("8D reports (D1–D8), one PDF per complaint", "8D报告（D1–D8），每项投诉一份PDF"), ("10.2.3", "10.2.4", "10.2.6")),
    ("visits/", ("Field service reports (signed by the customer), one PDF per visit", "现场服务报告（客户签署），每次服务一份PDF"),
     ("10.2.6",)),
    ("reports/", ("Monthly and annual figures, with the return rate (ppm)", "月度与年度统计，含退货率（ppm）"),
     ("10.2.6", "10.2.5", "9.1.2.1")),
    ("returns-without-complaint.xlsx", ("Returns (RMA) without a complaint: customer, quantity, inspection, disposition",
                                        "不涉及投诉的退货：客户、数量、检验、处置"), ("10.2.5",)),
    ("satisfaction.xlsx", ("Customer satisfaction: survey A, performance B, composite", "顾客满意度：调查得分A、交付得分B、综合"),
     ("9.1.2.1",)),
)
RETURN_HEADERS = ("RMA", "Customer / 客户", "Quantity (pcs) / 数量（件）", "Received on / 收到日期", "State / 状态",
                  "Inspection / 检验", "Disposition / 处置", "Shipped / 处理", "Shipped on / 日期", "Note / 备注")
SCORE_HEADERS = ("Customer / 客户", "Year / 年度", "A", "B", "Composite / 综合", "Below threshold / 低于目标")
EVENT_HEADERS = ("Customer / 客户", "Year / 年度", "Rule / 规则", "Points / 分值", "On / 日期", "Ref / 编号", "Note / 备注")


def _cell(text: str) -> str:
    """Text inside a markdown table: one line, no column breaks."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def index_md(pack: AuditPack, files: list[str]) -> str:
    scope = f"{pack.first} – {pack.last}" + (f" · {pack.customer}" if pack.customer else "")
    out = [f"# Audit pack / 审核资料包 · {_cell(scope)}", "",
           f"Generated / 生成时间: {pack.generated_at:%Y-%m-%d %H:%M} UTC", "",
           "## Files / 文件", "", "| file / 文件 | what / 内容 | IATF 16949 |", "|---|---|---|"]
    for name, (en, zh), clauses in FILES:
        if any(f.startswith(name) for f in files):
            out.append(f"| {name} | {en} / {zh} | {', '.join(clauses)} |")
    if pack.customer:
        out += ["", "One customer's pack: the company-wide monthly and annual figures are left out (they hold every "
                "customer's complaints). / 单一客户资料包：不含全公司月度与年度统计（其中包含所有客户的抱怨）。"]
    if pack.eightds_left_out:
        out += ["", f"{len(pack.eightds_left_out)} more 8D(s) than one pack sent in Slack holds are left out "
                f"({', '.join(pack.eightds_left_out)}): `voc export audit-pack` writes them all. / "
                f"另有 {len(pack.eightds_left_out)} 份8D超出 Slack 资料包上限未包含，请用 `voc export audit-pack` 导出全部。"]
    out += ["", "## Clauses / 条款", "", "| clause / 条款 | title / 名称 | files / 文件 | records / 记录 |", "|---|---|---|---|"]
    for clause, title in CLAUSES.items():
        shown = [name for name, _, clauses in FILES if clause in clauses and any(f.startswith(name) for f in files)]
        count = sum(1 for r in pack.records if clause in r.clauses)
        out.append(f"| {clause} | {title['en']} / {title['zh']} | {', '.join(shown) or '—'} | {count} |")
    out += ["", "## Records / 记录", "", "| ref / 编号 | kind / 类型 | status / 状态 | clauses / 条款 | 8D |", "|---|---|---|---|---|"]
    for r in pack.records:
        out.append(f"| {r.ref} | {r.kind} | {r.status} | {', '.join(r.clauses)} | {f'8d/{r.ref}-8D.pdf' if r.eightd else '—'} |")
    out += ["", "## Open nonconformities / 未关闭的不符合项", ""]
    if pack.nonconformities:
        out += ["| ref / 编号 | what / 问题 | detail / 详情 |", "|---|---|---|"]
        out += [f"| {n.ref} | {WHAT[n.what][0]} / {WHAT[n.what][1]} | {_cell(n.detail)} |" for n in pack.nonconformities]
    else:
        out.append("None. / 无。")
    return "\n".join(out) + "\n"


def returns_xlsx(pack: AuditPack) -> bytes:
    """The returns standing alone, one row each (the values as stored: the codes the ledger's lines name)."""
    rows = [[f"RMA-{r.id}", customer, r.quantity, r.received_on, r.state, r.inspection or "",
             r.disposition or "", r.shipped or "", r.shipped_on or "", r.note or ""] for r, customer in pack.standalone_returns]
    return xlsx_bytes("Returns 退货", RETURN_HEADERS, rows)


def satisfaction_xlsx(pack: AuditPack, lang: str) -> bytes:
    scores = [[s.customer_in(lang), s.year, s.a, s.b, s.composite, ", ".join(s.below)] for s in pack.satisfaction]
    book = load_workbook(BytesIO(xlsx_bytes("Satisfaction 满意度", SCORE_HEADERS, scores)))
    events = book.create_sheet("B events 交付得分明细")
    events.append(list(EVENT_HEADERS))
    for s in pack.satisfaction:
        for e in s.events:
            events.append([s.customer_in(lang), s.year, e.rule, e.points, e.on.isoformat(), e.ref or "", e.note or ""])
    text_stays_text(events)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_audit_pack(out: BinaryIO, pack: AuditPack, policy: Policy, names: Mapping[str, str] | None = None) -> list[str]:
    """The ZIP into `out`; returns the names written, index last."""
    names = {} if names is None else names
    written: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        def put(name: str, data: bytes | str) -> None:
            z.writestr(name, data)
            written.append(name)

        put("ledger.xlsx", as_xlsx(policy, pack.ledger))
        put("audit-trail.xlsx", audit_file(policy, pack.audit, "xlsx"))
        for report in pack.eightds():
            lang = requirements(policy, report.customer_record, report.customer).report_language
            put(f"8d/VOC-{report.number}-8D.pdf", eightd_pdf(report, lang, policy, names))
        for visit in pack.visits():
            put(f"visits/VOC-{visit.ref_number}-visit-{visit.number_on_item}.pdf",
                visit_pdf(visit, requirements(policy, visit.customer_record, visit.customer).report_language, policy, names))
        for key, numbers in pack.reports:
            put(f"reports/{key}.json", json.dumps(numbers, ensure_ascii=False, indent=2))
        if pack.standalone_returns:
            put("returns-without-complaint.xlsx", returns_xlsx(pack))
        put("satisfaction.xlsx", satisfaction_xlsx(pack, policy.company.language))
        put("index.md", index_md(pack, written))
    return written
