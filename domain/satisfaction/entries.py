"""Events only a person knows of (a proactive visit, a customer award), recorded under the policy's
manual rules for the performance score. An entry counts once the quality manager confirmed it (the
QM's own entries are confirmed as they are recorded), and once per customer, rule and day: a second
entry of the same is refused, naming the first (seed 000: the same event is never rewarded twice)."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from sqlmodel import Session, select

from domain.i18n import BABEL_LOCALE
from domain.policy import Policy
from domain.satisfaction.errors import LocalizedRefusal, SatisfactionRefused, UnknownCustomer
from domain.satisfaction.performance import CONFIRMED
from models import Customer, SatisfactionEntry
from models.db import insert_into

NOTE_LIMIT = 2000
PENDING, DECLINED = "pending", "declined"


def manual_rules(policy: Policy) -> list[str]:
    return [r.id for r in policy.satisfaction.rules if r.source == "manual"]


def day_text(day: date, lang: str) -> str:
    """As the score shows a day (bot/views/satisfaction.py)."""
    return format_date(day, "yyyy年M月d日" if lang == "zh" else "d MMM yyyy", locale=BABEL_LOCALE.get(lang, "en_GB"))


def rule_label(policy: Policy, rule: str, lang: str) -> str:
    return next((r.label.get(lang) for r in policy.satisfaction.rules if r.id == rule), rule)


def add_entry(session: Session, policy: Policy, customer_id: int, rule: str, on: date, note: str, actor: str,
              source_key: str, now: datetime, confirmed: bool = False) -> tuple[SatisfactionEntry, bool]:
    """Record the entry (pending, or confirmed when `confirmed`): (the entry, True); or (the one
    `source_key` recorded before, False) — a retry, nothing done. Only a manual rule: complaints and quiet months are
    counted from the record, never typed in. A second entry for the customer, rule and day is refused."""
    allowed = manual_rules(policy)
    if rule not in allowed:
        raise SatisfactionRefused("satisfaction.error.not_manual", rule=str(rule), rules=", ".join(allowed))
    if isinstance(on, datetime) or not isinstance(on, date):
        raise SatisfactionRefused("satisfaction.error.bad_day", day=str(on))
    if on > now.astimezone(policy.tz).date():
        raise SatisfactionRefused("satisfaction.error.future_day", day=on.isoformat())
    # the customer row, locked: two people recording the same visit at once are checked one after the other
    if session.get(Customer, customer_id, with_for_update=_lock(session)) is None:
        raise UnknownCustomer(customer=str(customer_id))
    retry = session.exec(select(SatisfactionEntry).where(SatisfactionEntry.source_key == source_key)).first()
    if retry is not None:
        return retry, False
    first = session.exec(select(SatisfactionEntry).where(
        SatisfactionEntry.customer_id == customer_id, SatisfactionEntry.rule == rule, SatisfactionEntry.on == on)).first()
    if first is not None:
        raise LocalizedRefusal("satisfaction.error.entry_exists", {
            lang: {"rule": rule_label(policy, rule, lang), "day": day_text(on, lang),
                   "state": _state_word(first.state, lang)} for lang in ("en", "zh")})
    table = SatisfactionEntry.__table__
    # ON CONFLICT DO NOTHING on the request's key: two copies of one request racing record it once
    stmt = (insert_into(session, table).values(customer_id=customer_id, rule=rule, on=on, note=(note or "").strip()[:NOTE_LIMIT],
                                               recorded_by=actor, recorded_at=now, source_key=source_key,
                                               state=CONFIRMED if confirmed else PENDING,
                                               decided_by=actor if confirmed else None, decided_at=now if confirmed else None)
            .on_conflict_do_nothing(index_elements=["source_key"]).returning(table.c.id))
    created = session.execute(stmt).scalar() is not None
    return session.exec(select(SatisfactionEntry).where(SatisfactionEntry.source_key == source_key)
                        .execution_options(populate_existing=True)).one(), created


def decide_entry(session: Session, entry_id: int, confirm: bool, actor: str, now: datetime) -> SatisfactionEntry:
    """The quality manager's answer to a pending entry; an entry already decided is refused, naming how."""
    entry = session.get(SatisfactionEntry, entry_id, with_for_update=_lock(session))
    if entry is None:
        raise SatisfactionRefused("satisfaction.error.no_entry", entry=str(entry_id))
    if entry.state != PENDING:
        raise LocalizedRefusal("satisfaction.error.entry_decided",
                               {lang: {"state": _state_word(entry.state, lang)} for lang in ("en", "zh")})
    entry.state, entry.decided_by, entry.decided_at = (CONFIRMED if confirm else DECLINED), actor, now
    session.add(entry)
    session.flush()
    return entry


def _state_word(state: str, lang: str) -> str:
    from domain.i18n import t

    return t(f"satisfaction.entry_state.{state}", lang)


def _lock(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
