"""The company's existing complaint ledger (顾客抱怨信息台帐, seed 000 TS §4.2.2.1) brought on board
(`voc import ledger FILE.xlsx|csv`, docs/import.md): one item per row, as if it had been filed then.

A header names a VOC Desk field when it is one of the headers `voc export ledger` writes (either
language, or both as the export joins them), a common Chinese ledger header (`SYNONYMS`), or what the
mapping file says. Values are read as the export writes them (labels in either language, the codes
themselves) and as Chinese ledgers commonly do (结案 / 未结案, 质量问题, AA级). Every row is checked
before anything is written; one bad cell makes the whole file refused, each problem named by line and
column (`BadLedger`). Then, in the caller's one transaction:
- customers are matched as intake matches them (domain/customers.py; the policy's customers seeded
  first, an unknown one created unverified);
- an open item gets its running deadline clocks from its receipt (domain/sla/clocks.py, with `now`
  passed in); a milestone the ledger says was met is met at that moment;
- a closed or withdrawn item gets its history: the milestones the ledger lists as they were, a status
  change and an event at the closing (or withdrawal), beside the `imported` event every item gets;
- a `VOC-n` reference is kept, other rows are numbered after the highest number (reference_counters),
  and filing goes on after that (domain/unit_of_work.py `next_reference`);
- complaints are linked to the earlier ones they repeat (domain/repeats.py), as filing links them.
What has no table of its own here (actions, verification, acceptance, a free-text root cause, a
person's name as owner) is kept, as written, in the `imported` event."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from domain.counts import read_count
from domain.customers import customer_choices, find_customer, resolve_customer, seed_customers
from domain.deadlines import milestones_for
from domain.i18n import t
from domain.lifecycle.table import COMPLAINT_PATH, Status
from domain.policy import CATEGORIES, KINDS, Policy
from domain.repeats import link_repeats
from domain.reports.ledger import FIXED, AFTER, HEADERS, WORDS, header
from domain.sla.calendar import calendar_for
from domain.sla.clocks import meet, sync_clocks
from domain.requirements import item_requirements
from domain.text import normalize, summarize
from models import Deadline, Event, FeedbackItem, ItemAssignment, ReferenceCounter, RootCause, StatusChange

ACTOR = "import"  # who the history names for what the import recorded (the ledger named no Slack user)
# Headers Chinese ledgers commonly use for the export's fields (the export's own headers are read too).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": ("投诉编号", "客诉编号", "抱怨编号", "单号", "编号", "reference"),
    "received": ("日期", "投诉日期", "客诉日期", "抱怨日期", "反馈日期", "接收日期", "登记日期", "发生日期", "date"),
    "customer": ("客户名称", "顾客", "顾客名称", "客户单位"),
    "description": ("抱怨内容", "投诉内容", "不良描述", "异常描述", "问题内容", "质量问题描述", "description"),
    "part": ("产品型号", "料号", "产品编号", "图号", "零件号/型号", "产品名称/型号", "part"),
    "lot": ("批号", "生产批号", "lot no."),
    "quantity": ("不良数量", "不良数", "qty"),
    "category": ("问题类别", "问题类型", "抱怨类别"),
    "severity": ("问题等级", "信息等级", "严重程度", "level"),
    "department": ("责任单位",),
    "owner": ("责任人", "处理人"),
    "status": ("处理状态", "是否结案", "结案状态"),
    "root_cause": ("原因分析", "原因"),
    "actions": ("纠正措施", "纠正预防措施", "改善措施", "处理措施", "处理结果", "对策"),
    "verification": ("验证结果", "效果确认"),
    "closed": ("结案日期", "关闭日期", "完成日期", "结案时间"),
    "line_stopped": ("客户停线", "是否停线", "line stopped"),
}
IGNORED = ("序号", "no.", "备注", "remarks")  # a row counter and notes: read, never a field
DERIVED = ("late", "repeat")  # the export's computed columns: recomputed here, never read
FIELDS = (*FIXED, *AFTER, "line_stopped")
STATUS_WORDS = {"结案": "closed", "已结案": "closed", "关闭": "closed", "open": "received", "未结案": "received",
                "未关闭": "received", "处理中": "received", "进行中": "received", "撤销": "withdrawn", "撤回": "withdrawn"}
CATEGORY_WORDS = {"交期": "delivery", "交货": "delivery", "服务": "service", "商务": "commercial", "技术": "technical"}
KIND_WORDS = {"抱怨": "complaint", "客诉": "complaint", "顾客抱怨": "complaint"}
SEVERITY_WORDS = {"重大": "AA", "严重": "AA", "重要": "A", "一般": "B"}
_SEVERITY = re.compile(r"^(AA|A|B)(?![A-Z])", re.I)
_QUANTITY = re.compile(r"^\s*([\d,，]+)\s*(.{0,20})$")
_REF = re.compile(r"^VOC-([1-9]\d{0,8})$", re.I)
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{6,}$")
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d",
                "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


class BadLedger(ValueError):
    """The file is refused: `problems` are the sentences, one per bad cell, in the reader's language."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Table:
    """A file as read (documents/ledger_import.py): its headers and its rows, each with its line number."""
    headers: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class Imported:
    items: int = 0
    open: int = 0
    closed: int = 0
    withdrawn: int = 0
    # created unverified (as intake creates a name it does not know), each with the known customers it is
    # close to: an alias in the policy, or the name corrected in the file, makes it theirs (a --dry-run says)
    new_customers: dict[str, list[str]] = field(default_factory=dict)
    numbers: tuple[int, int] | None = None  # the first and last VOC number the file's items hold
    next_number: int = 1


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalize(str(text)))


def header_names(policy: Policy) -> dict[str, str]:
    """Every header read, normalised, to its field key (`field` or `field:milestone`)."""
    names: dict[str, str] = {}
    for name in FIELDS:
        if name in HEADERS:
            for lang in ("en", "zh"):
                if name in ("due", "met", "late"):
                    continue
                names[_key(header(policy, name, None, lang))] = name
        for synonym in SYNONYMS.get(name, ()):
            names.setdefault(_key(synonym), name)
    for milestone in policy.milestones:
        for name in ("due", "met", "late"):
            for lang in ("en", "zh"):
                names[_key(header(policy, name, milestone, lang))] = f"{name}:{milestone}"
            names[_key(HEADERS[name]["en"].format(milestone=milestone))] = f"{name}:{milestone}"  # first_contact: due
    names[_key(t("field.line_stopped", "en"))] = names[_key(t("field.line_stopped", "zh"))] = "line_stopped"
    return names


def map_headers(policy: Policy, headers: list[str], mapping: dict[str, str] | None, lang: str) -> tuple[dict[int, str], list[str]]:
    """Column index → field; and the problems (a mapping to no field, an unknown header, a field named
    twice, a field every row needs missing)."""
    known = header_names(policy) | {_key(name): "ignore" for name in IGNORED}
    fields = set(known.values())
    mapped = {_key(k): str(v).strip() for k, v in (mapping or {}).items()}
    problems = [t("import.unknown_field", lang, column=k, value=v) for k, v in (mapping or {}).items()
                if str(v).strip() not in fields]
    columns, seen = {}, {}
    for index, text in enumerate(headers):
        text = str(text or "").strip()
        if not text:
            continue
        keys = [_key(p) for p in (text, *re.split(r"\s+/\s+", text))]  # "编号 / Ref": the export's bilingual header
        found = next((mapped.get(k) or known.get(k) for k in keys if mapped.get(k) or known.get(k)), None)
        if found is None:
            problems.append(t("import.unknown_header", lang, line=1, column=text))
        elif found == "ignore" or found.partition(":")[0] in DERIVED:
            continue
        elif found in seen:
            problems.append(t("import.header_twice", lang, line=1, column=text, other=seen[found]))
        else:
            columns[index], seen[found] = found, text
    for needed in ("received", "customer", "description"):
        if needed not in seen:
            problems.append(t("import.header_missing", lang, line=1, column=header(policy, needed, None, lang)))
    return columns, problems


def _labels(prefix: str, values) -> dict[str, str]:
    """A value's labels in both languages, and the value itself, to the value."""
    found = {}
    for value in values:
        found[_key(value)] = value
        for lang in ("en", "zh"):
            found[_key(t(f"{prefix}.{value}", lang))] = value
    return found


def _word(value: str, keys) -> str | None:
    """A word of the export's WORDS (yes, no, urgent…) in either language, to its key."""
    return next((k for k in keys for lang in ("en", "zh") if _key(WORDS[k][lang]) == _key(value) or _key(k) == _key(value)), None)


class _Reader:
    """Cell → value for each field, with the problem when the cell says nothing it can be."""

    def __init__(self, policy: Policy, lang: str):
        self.policy, self.lang, self.zone = policy, lang, policy.tz
        self.statuses = _labels("status", [s.value for s in Status if s != Status.draft]) | STATUS_WORDS
        self.kinds = _labels("kind", KINDS) | KIND_WORDS
        self.categories = _labels("category", CATEGORIES) | CATEGORY_WORDS
        self.causes = _labels("rootcause", ("man", "machine", "material", "method", "environment", "measurement"))
        self.departments = {_key(k): k for k in policy.departments} | {
            _key(name): k for k, d in policy.departments.items() for name in d.name.model_dump().values() if name}

    def moment(self, value) -> datetime:
        """A cell's moment (company time when it has no zone), as aware UTC."""
        if isinstance(value, datetime):
            local = value
        elif isinstance(value, date):
            local = datetime.combine(value, time())
        else:
            text = re.sub(r"\s+", " ", str(value).strip())
            for fmt in DATE_FORMATS:
                try:
                    local = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError("import.bad_moment")
        if local.tzinfo is None:
            local = local.replace(tzinfo=self.zone)
        return local.astimezone(timezone.utc)

    def one_of(self, table: dict[str, str], value: str, problem: str) -> str:
        key = _key(value)
        found = table.get(key) or table.get(key.removesuffix("问题"))
        if found is None:
            raise ValueError(problem)
        return found

    def severity(self, value: str) -> str:
        text = str(value).strip()
        match = _SEVERITY.match(text)
        if match:
            return match.group(1).upper()
        for word, level in SEVERITY_WORDS.items():
            if text.startswith(word):
                return level
        raise ValueError("import.bad_severity")

    def yes_no(self, value: str) -> bool | None:
        found = _word(str(value), ("yes", "no", "unknown"))
        if found is None:
            raise ValueError("import.bad_yes_no")
        return None if found == "unknown" else found == "yes"

    def quantity(self, value) -> tuple[int, str | None]:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value) and value >= 0:
            return int(value), None
        match = _QUANTITY.match(str(value))
        count = read_count(match.group(1)) if match else None
        if count is None:
            raise ValueError("import.bad_quantity")
        return count, match.group(2).strip() or None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


@dataclass
class _Row:
    line: int
    values: dict[str, Any]  # field → the value read
    raw: dict[str, str]  # field → the cell as written (kept in the import event)


def read_rows(policy: Policy, table: Table, mapping: dict[str, str] | None, lang: str, now: datetime) -> list[_Row]:
    """Every row read and checked; raises BadLedger naming each bad cell."""
    columns, problems = map_headers(policy, table.headers, mapping, lang)
    if problems:
        raise BadLedger(problems)
    reader, rows = _Reader(policy, lang), []
    heading = {f: str(table.headers[i]).strip() for i, f in columns.items()}
    for line, cells in table.rows:
        raw = {f: cells[i] for i, f in columns.items() if i < len(cells) and _text(cells[i])}
        if not raw:
            continue  # an empty line (a spreadsheet's trailing rows)
        values: dict[str, Any] = {}
        for name, cell in raw.items():
            try:
                values[name] = _read(reader, name.partition(":")[0], cell)
            except ValueError as bad:
                problems.append(t(str(bad), lang, line=line, column=heading[name], value=_text(cell)))
        for needed in ("received", "customer", "description"):
            if needed not in raw:
                problems.append(t("import.empty", lang, line=line, column=heading.get(needed, needed)))
        status = values.get("status") or ("closed" if "closed" in values else "withdrawn" if "withdrawn" in values else "received")
        values["status"] = status
        if status == "closed" and "closed" not in values:
            problems.append(t("import.closed_without_date", lang, line=line,
                              column=heading.get("closed") or header(policy, "closed", None, lang)))
        problems += _inconsistent(policy, values, heading, line, lang, now)
        rows.append(_Row(line, values, {f: _text(v) for f, v in raw.items()}))
    seen: dict[int, int] = {}
    for row in rows:
        number = row.values.get("ref")
        if isinstance(number, int) and number in seen:
            problems.append(t("import.ref_twice", lang, line=row.line, column=heading["ref"], value=f"VOC-{number}",
                              other=seen[number]))
        elif isinstance(number, int):
            seen[number] = row.line
    if problems:
        raise BadLedger(problems)
    return rows


# The statuses each kind can be in (domain/lifecycle/table.py): a praise is never "contained".
STATUSES_OF = {"complaint": (*COMPLAINT_PATH, Status.not_ours, Status.waiting_on_customer, Status.withdrawn)}
OTHER_STATUSES = (Status.received, Status.answered, Status.closed, Status.waiting_on_customer, Status.withdrawn)


def _inconsistent(policy: Policy, values: dict, heading: dict, line: int, lang: str, now: datetime) -> list[str]:
    """What a row's cells say that cannot be together: a level above B on what is no complaint, a status
    its kind never has, a moment after `now` (but a due one) or a closing before the receipt."""
    def column(name: str) -> str:
        return heading.get(name) or header(policy, name, None, lang)

    found, kind = [], values.get("kind", "complaint")
    if kind != "complaint" and values.get("severity", "B") != "B":
        found.append(t("import.level_of_kind", lang, line=line, column=column("severity"), value=values["severity"]))
    if values["status"] not in STATUSES_OF.get(kind, OTHER_STATUSES):
        found.append(t("import.status_of_kind", lang, line=line, column=column("status"),
                       value=t(f"status.{values['status']}", lang)))
    received = values.get("received")
    for name, moment in values.items():
        if isinstance(moment, datetime) and moment > now and not name.startswith("due:"):  # what happened, has
            found.append(t("import.in_future", lang, line=line, column=heading[name]))
        elif isinstance(moment, datetime) and received and name in ("closed", "withdrawn") and moment < received:
            found.append(t("import.before_received", lang, line=line, column=heading[name]))
    return found


def _read(reader: _Reader, base: str, cell) -> Any:
    text = _text(cell)
    if base in ("received", "withdrawn", "closed", "due", "met", "eightd_sent"):
        return reader.moment(cell)
    if base == "ref":
        match = _REF.match(text)
        return int(match.group(1)) if match else text  # another system's number: kept in the history
    if base in ("part", "lot"):
        return [p.strip() for p in re.split(r"[,，;；、]", text) if p.strip()]
    if base == "quantity":
        return reader.quantity(cell)
    if base == "kind":
        return reader.one_of(reader.kinds, text, "import.bad_kind")
    if base == "category":
        return reader.one_of(reader.categories, text, "import.bad_category")
    if base in ("severity", "problem_severity"):
        return reader.severity(text)
    if base == "urgency":
        found = _word(text, ("normal", "urgent", "very_urgent"))
        if found is None:
            raise ValueError("import.bad_urgency")
        return found
    if base in ("wants_8d", "line_stopped"):
        return reader.yes_no(text)
    if base == "department":
        return reader.one_of(reader.departments, text, "import.bad_department")
    if base == "status":
        yes_no = _word(text, ("yes", "no"))  # 是否结案: 是 / 否
        return {"yes": "closed", "no": "received"}[yes_no] if yes_no else reader.one_of(reader.statuses, text, "import.bad_status")
    if base == "root_cause":
        label, _, rest = text.partition(":")
        occurrence, _, escape = rest.partition(" / ")
        cause = reader.causes.get(_key(label))
        return (cause, occurrence.strip(), escape.strip()) if cause and rest.strip() else text
    return text


def import_ledger(session: Session, policy: Policy, table: Table, now: datetime, source: str,
                  mapping: dict[str, str] | None = None, lang: str | None = None) -> Imported:
    """Check every row, then write the items (the caller's transaction: it commits, or rolls back for a
    dry run). `source` names the file in the history; the items are keyed by what the file holds, so the
    same ledger imported twice (under any name) is refused."""
    lang = lang or policy.company.language
    rows = read_rows(policy, table, mapping, lang, now)
    seed_customers(session, policy, now)  # as every process does at start: `voc db upgrade` alone does not
    digest = hashlib.sha256(json.dumps([table.headers, table.rows], default=str, ensure_ascii=False).encode()).hexdigest()[:16]
    taken = set(session.exec(select(FeedbackItem.number).where(
        FeedbackItem.number.in_([r.values["ref"] for r in rows if isinstance(r.values.get("ref"), int)] or [-1]))).all())
    again = session.exec(select(func.count()).select_from(FeedbackItem).where(
        FeedbackItem.source_key.in_([f"import:{digest}:{r.line}" for r in rows] or ["-"]))).one()
    problems = [t("import.ref_taken", lang, line=r.line, column=header(policy, "ref", None, lang), value=r.raw["ref"])
                for r in rows if r.values.get("ref") in taken]
    if again:
        problems.insert(0, t("import.imported_before", lang, line=1, column=source))
    if problems:
        raise BadLedger(problems)
    done, calendar = Imported(), calendar_for(policy)
    highest = max([session.exec(select(func.max(FeedbackItem.number))).one() or 0,
                   *(r.values["ref"] for r in rows if isinstance(r.values.get("ref"), int))])
    counter = session.get(ReferenceCounter, "VOC", with_for_update=True)
    if counter is None:
        counter = ReferenceCounter(name="VOC", value=0)
    counter.value = max(counter.value, highest)
    session.add(counter)
    session.flush()
    items, customers = [], {}
    for row in sorted(rows, key=lambda r: (r.values["received"], r.line)):
        v = row.values
        number = v.get("ref") if isinstance(v.get("ref"), int) else None
        if number is None:
            counter.value += 1
            number = counter.value
        name = row.raw["customer"]
        if name not in customers:  # matched once per name: a ledger names the same few customers again and again
            known = find_customer(session, name)
            if known is None:  # the known customers it may mean, asked before it is a customer of its own
                done.new_customers[name] = [c.name for c in customer_choices(session, name)]
            customers[name] = known or resolve_customer(session, name, now)
        customer = customers[name]
        item = _item(session, policy, row, number, customer.id, now, f"import:{digest}:{row.line}")
        items.append(item)
        _history(session, policy, row, item, now, calendar, source)
        done.items += 1
        ended = item.status if item.status in (Status.closed, Status.withdrawn) else "open"
        setattr(done, ended, getattr(done, ended) + 1)
    session.add(counter)
    session.flush()
    for item in items:  # after all are in: a complaint repeats the earlier ones, whichever line they came on
        if item.status != Status.withdrawn:
            link_repeats(session, item, policy, now)
    session.flush()
    numbers = [i.number for i in items]
    done.numbers = (min(numbers), max(numbers)) if numbers else None
    done.next_number = counter.value + 1
    return done


def _item(session: Session, policy: Policy, row: _Row, number: int, customer_id: int, now: datetime, key: str) -> FeedbackItem:
    v = row.values
    kind = v.get("kind", "complaint")
    category = v.get("category", "quality")
    severity = v.get("severity") or v.get("problem_severity") or "B"
    quantity, unit = v.get("quantity", (None, None))
    line = {True: "stopped", False: "running"}.get(v.get("line_stopped"))
    item = FeedbackItem(
        source_key=key, source="import", status=v["status"], kind=kind, category=category,
        severity=severity, problem_severity=v.get("problem_severity", severity), urgency=v.get("urgency", "normal"),
        urgency_source="ledger" if "urgency" in v else None, wants_8d=v.get("wants_8d"),
        wants_8d_source="ledger" if v.get("wants_8d") is not None else None,
        department=v.get("department") or policy.department_for(category), also_departments=[], confidence=1.0, reasons=[],
        customer_id=customer_id, customer_text=row.raw["customer"][:200], text=row.raw["description"],
        summary=summarize(row.raw["description"]), part_numbers=v.get("part", []), lot_numbers=v.get("lot", []),
        quantity=quantity, quantity_unit=unit, line_state=line, line_stopped=line == "stopped", reporter_id=ACTOR,
        locale=policy.company.language, received_at=v["received"], filed_at=v["received"], number=number,
        withdrawn_at=(v.get("withdrawn") or v["received"]) if v["status"] == Status.withdrawn else None,
        created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    return item


def _history(session: Session, policy: Policy, row: _Row, item: FeedbackItem, now: datetime, calendar, source: str) -> None:
    """The item's deadlines, owner, root cause, status change and events, as the ledger tells them."""
    v, origin = row.values, f"import:{source}"
    kept = {k: r for k, r in row.raw.items() if k in ("ref", "owner", "root_cause", "actions", "verification", "acceptance",
                                                      "eightd_sent", "eightd_approved")}
    session.add(Event(item_id=item.id, actor=ACTOR, action="imported", origin=origin, at=now,
                      detail={"file": source, "line": row.line, "ledger": kept}))
    met = {name.split(":", 1)[1]: value for name, value in v.items() if name.startswith("met:")}
    needs = item_requirements(session, policy, item)
    if item.status not in (Status.closed, Status.withdrawn):  # running clocks from receipt, as filing starts them
        for d in sync_clocks([], item, policy, calendar, now, needs):
            if d.milestone in met:
                meet(d, met[d.milestone])
            session.add(d)
    elif item.status == Status.closed:  # the milestones as the ledger lists them: met, or stopped by the closing
        terms = {m.milestone: m for m in milestones_for(policy, item.kind, item.severity, category=item.category,
                                                         wants_8d=item.wants_8d, overrides=needs.deadlines)}
        for name, due in v.items():
            milestone = name.partition(":")[2]
            if not name.startswith("due:"):
                continue
            m = terms.get(milestone)
            session.add(Deadline(item_id=item.id, milestone=milestone, due_at=due, met_at=met.get(milestone),
                                 state="met" if milestone in met else "cancelled", clock=m.clock if m else "calendar",
                                 hours=m.nominal_hours if m else (due - item.received_at).total_seconds() / 3600,
                                 days=m.days if m else None, months=m.months if m else None, level=0, paused_seconds=0,
                                 policy_version=policy.clock_version()))
    owner = row.raw.get("owner", "")
    if _SLACK_USER.match(owner):
        session.add(ItemAssignment(item_id=item.id, department=item.department, role="owner", user_id=owner, by=ACTOR,
                                   since=item.received_at))
    cause = v.get("root_cause")
    if isinstance(cause, tuple):
        session.add(RootCause(item_id=item.id, category=cause[0], occurrence=cause[1], escape=cause[2], by=ACTOR, at=now))
    ended = {"closed": v.get("closed"), "withdrawn": item.withdrawn_at}.get(item.status)
    if ended is not None:
        session.add(StatusChange(item_id=item.id, action="import", from_status=Status.received, to_status=item.status,
                                 reason=row.raw.get("withdrawn_reason") or None, by=ACTOR, at=ended))
        session.add(Event(item_id=item.id, actor=ACTOR, action=f"imported.{item.status}", origin=origin, at=ended,
                          detail={"file": source, "line": row.line}))
    session.flush()
