"""Customer matching: case-insensitive, by alias, folding traditional/simplified and punctuation, and
as people type them: without plant or legal-form suffixes, and close spellings (rapidfuzz)."""
from __future__ import annotations

import re
from datetime import datetime

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.extraction import without_links
from domain.policy import Policy
from domain.text import fold, normalize, normalize_name
from models import Customer, CustomerAlias
from models.db import insert_into


# What people add to a customer's name that does not make it another customer: a plant, a legal form.
# Latin words only as whole words at the end ("Metalworks" keeps its "works").
PLANT_SUFFIX = re.compile(r"(?:[\s,.]+(?:plant|factory|works|site|co|ltd|inc|corp|gmbh)\.?)+\s*$"
                          r"|(?:工厂|工廠|分厂|分廠|股份有限公司|有限公司|分公司|公司)+\s*$", re.I)
# A typo or a plant's city after a known name scores at least this (rapidfuzz WRatio, 0-100); below it
# the name is treated as a customer of its own (created unverified) rather than guessed.
FUZZY_MATCH = 90
# Between this and FUZZY_MATCH the bot asks "did you mean …?" with the close known customers as
# choices, instead of guessing or creating a second record.
FUZZY_ASK = 75
CHOICES = 3


def _exact(session: Session, key: str) -> Customer | None:
    found = session.exec(select(Customer).where(Customer.name_key == key)).first()
    if found:
        return found
    alias = session.exec(select(CustomerAlias).where(CustomerAlias.alias_key == key)).first()
    return session.get(Customer, alias.customer_id) if alias else None


def find_customer(session: Session, name: str) -> Customer | None:
    """A known customer: by name or alias exactly, then without a plant or legal-form suffix
    ("Geely Ningbo plant", "BYD Auto Co., Ltd."), then by a close spelling of a verified customer's
    name or alias ("Geeley", "吉利汽车宁波工厂"). None when nothing is close enough."""
    key = normalize_name(name)
    if not key:
        return None
    stem = normalize_name(PLANT_SUFFIX.sub("", name)) or key
    found = _exact(session, key) or (_exact(session, stem) if stem != key else None)
    return found or _closest(session, stem)


def _known_keys(session: Session) -> dict[str, int]:
    """Every verified customer's name and alias keys, to the customer's id."""
    known = {c.name_key: c.id for c in session.exec(select(Customer).where(Customer.verified.is_(True))).all()}
    verified = set(known.values())
    known |= {a.alias_key: a.customer_id for a in session.exec(select(CustomerAlias)).all() if a.customer_id in verified}
    return known


def _closest(session: Session, key: str) -> Customer | None:
    known = _known_keys(session)
    best = process.extractOne(key, list(known), scorer=fuzz.WRatio, score_cutoff=FUZZY_MATCH) if known else None
    return session.get(Customer, known[best[0]]) if best else None


# A name inside a sentence ("…phone with Gelly…", "比亞迪說…"): every known name and alias, as
# words (Latin ones whole, their spaces and dashes optional), longest first. A capitalised word one
# typo from a known one-word name or alias (5 letters or more) is found too, as a name to ask about
# ("Which customer do you mean by Gelly?"), not a match: a person capitalises a name, and a slip of
# the keyboard is likelier than another company, but Beely may be one.
_NAME_SEPARATORS = r"[\s\-_.,·'\"()（）]+"
_WORD = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{4,}(?![A-Za-z])")


def _name_pattern(name: str) -> str:
    words = [re.escape(w) for w in re.split(_NAME_SEPARATORS, normalize(name)) if w]
    body = r"[\s\-_.]*".join(words)
    return rf"(?<![a-z0-9]){body}(?![a-z0-9])" if body.isascii() else body


# What a company's name ends with that people leave out when they talk: "Great Wall" for Great Wall
# Motor, "Geely" for Geely Auto, 长城 for 长城汽车.
_GENERIC_END = re.compile(r"\s+(?:motors?|auto|automotive|automobile|group|cars?)$|(?<=..)(?:汽车|汽車|集团|集團)$", re.I)


def named_in_text(text: str, names: dict[str, object]) -> tuple[str, object, bool] | None:
    """The first known name said in `text`: (the words as written, what `names` maps it to, whether
    it is the name itself rather than one typo from it), or None. `names` maps each name and alias
    to its customer (a record's id, or a policy name)."""
    names = {_GENERIC_END.sub("", n): v for n, v in names.items()} | names
    ordered = sorted((n for n in names if normalize_name(n)), key=lambda n: len(normalize_name(n)), reverse=True)
    if not ordered:
        return None
    folded = without_links(fold(text))  # as written (simplified), matched without regard to case
    found = [(m.start(), -len(m.group()), m.group(), names[n], True) for n in ordered
             for m in re.finditer(_name_pattern(n), folded, re.I)]
    one_word = {normalize_name(n): v for n, v in names.items() if normalize_name(n).isalpha()
                and normalize_name(n).isascii() and len(normalize_name(n)) >= 5}
    for m in _WORD.finditer(text):
        word = m.group().lower()
        close = [v for key, v in one_word.items() if key != word and OSA.distance(word, key, score_cutoff=1) <= 1]
        if close and len(set(map(str, close))) == 1:
            found.append((m.start(), -len(word), m.group(), close[0], False))
    if not found:
        return None
    _start, _length, words, customer, sure = min(found, key=lambda f: (f[0], f[1], not f[4]))
    return words, customer, sure


def customer_in_text(session: Session, text: str) -> tuple[str, Customer | None] | None:
    """A verified customer named inside the text, with the words that named it; a word one typo
    from a known name comes with None (a name to ask about); None when nothing is said."""
    found = named_in_text(text, _known_names(session))
    if found is None:
        return None
    return found[0], session.get(Customer, found[1]) if found[2] else None


def _known_names(session: Session) -> dict[str, int]:
    """Every verified customer's names (in each language) and aliases, as written, to its id."""
    known: dict[str, int] = {}
    for c in session.exec(select(Customer).where(Customer.verified.is_(True))).all():
        for name in (c.name, *(c.names or {}).values()):
            known[name] = c.id
    verified = set(known.values())
    known |= {a.alias: a.customer_id for a in session.exec(select(CustomerAlias)).all() if a.customer_id in verified}
    return known


def customer_choices(session: Session, name: str) -> list[Customer]:
    """Known customers `name` may mean (close, but not close enough to be sure), best first; empty
    when it matches one (find_customer) or none is close: then it is a customer of its own."""
    if find_customer(session, name) is not None:
        return []
    known = _known_keys(session)
    stem = normalize_name(PLANT_SUFFIX.sub("", name)) or normalize_name(name)
    ranked = process.extract(stem, list(known), scorer=fuzz.WRatio, score_cutoff=FUZZY_ASK, limit=None) if known and stem else []
    ids: list[int] = []
    for key, _score, _ in ranked:
        if known[key] not in ids:
            ids.append(known[key])
    return [session.get(Customer, i) for i in ids[:CHOICES]]


def resolve_customer(session: Session, name: str, now: datetime) -> Customer:
    """The known customer for `name`, or a new one marked unverified (no friction for sales)."""
    found = find_customer(session, name)
    if found:
        return found
    customer = Customer(name=name.strip()[:200], name_key=normalize_name(name)[:200], verified=False,
                        created_at=now, updated_at=now)
    try:
        with session.begin_nested():  # another request may create the same customer at the same moment
            session.add(customer)
            session.flush()
    except IntegrityError:
        return find_customer(session, name)
    return customer


def _insert_new(session: Session, model, values: dict, key: str) -> int:
    """INSERT … ON CONFLICT DO NOTHING: several processes seeding at start-up at the same moment
    (honcho starts web, worker and scheduler together) each insert what is missing, none fails.
    Returns 1 if this one inserted the row (RETURNING: the driver's rowcount is -1 here on PostgreSQL)."""
    table = model.__table__
    statement = insert_into(session, table).values(**values).on_conflict_do_nothing(index_elements=[key])
    return len(session.execute(statement.returning(table.c.id)).all())


def seed_customers(session: Session, policy: Policy, now: datetime) -> int:
    """Create the policy's known customers that are not in the database yet, each with its record
    (domain/customer_records.py). A customer that has a record keeps it: after seeding, the database
    is the truth (edits in `/customer` and imports survive a restart). One that has none yet (made
    before records existed, or typed in before the policy named it) takes the policy's."""
    from domain.customer_records import has_record, write_record

    added = 0
    for seed in policy.customers:
        if find_customer(session, seed.key_name) is None:
            added += _insert_new(session, Customer, {"name": seed.key_name, "name_key": normalize_name(seed.key_name),
                                                     "verified": True, "names": seed.names, "created_at": now,
                                                     "updated_at": now}, "name_key")
        customer = find_customer(session, seed.key_name)
        if not has_record(customer):
            session.refresh(customer, with_for_update=session.get_bind().dialect.name == "postgresql")
            if not has_record(customer):  # another process starting at the same moment may have written it
                write_record(session, customer, seed, now)
    return added
