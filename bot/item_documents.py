"""An item's documents as files, rendered the same for every platform: the 8D (PDF and XLSX) and a field
visit's signed report (PDF), in the customer's report language, people named by their full names.
Slack uploads them into the thread (bot/delivery.py), Teams links them there (bot/teams/proactive.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from domain.i18n import ref
from domain.requirements import requirements

if TYPE_CHECKING:
    from bot.delivery import Deliverer


def eightd_files(d: "Deliverer", card, full_name_of=None) -> tuple[str, list[tuple[str, bytes]]]:
    """(language, [(file name, content)]) of the item's 8D. fpdf2 and openpyxl load with the first one."""
    from documents.eightd_export import eightd_pdf, eightd_xlsx
    from domain.lifecycle.eightd import assemble_8d, people

    policy, name_of = d.rt.policy, full_name_of or d.full_name_of
    with d.rt.db.session() as s:
        report = assemble_8d(s, card.item.id)
    lang = requirements(policy, report.customer_record, report.customer).report_language
    names = {u: name_of(u) or u for u in people(report)}
    groups = d.rt.desk.group_members  # the team's departments and roles, as the policy's user groups say
    stem = ref(card.item.number) + "-8D"
    return lang, [(f"{stem}.pdf", eightd_pdf(report, lang, policy, names, groups)),
                  (f"{stem}.xlsx", eightd_xlsx(report, lang, policy, names, groups))]


def visit_file(d: "Deliverer", card, visit_id: int, full_name_of=None):
    """(language, the visit's number on the item, (file name, content)) of a visit's signed report; None
    when the visit is gone. fpdf2 loads with the first one."""
    from documents.visit_report import visit_pdf
    from domain.lifecycle.visit_report import assemble_visit

    policy, name_of = d.rt.policy, full_name_of or d.full_name_of
    with d.rt.db.session() as s:
        report = assemble_visit(s, visit_id)
    if report is None:
        return None
    lang = requirements(policy, report.customer_record, report.customer).report_language
    names = {u: name_of(u) or u for u in report.engineers}
    name = f"{ref(card.item.number)}-visit-{report.number_on_item}.pdf"
    return lang, report.number_on_item, (name, visit_pdf(report, lang, policy, names))
