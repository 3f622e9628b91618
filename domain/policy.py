"""The company's policy: one YAML file that holds everything a company tunes.

Departments, routing, classification vocabulary, severity rules and deadline
milestones live here rather than in code so a quality manager can change them
without a release. `load_policy` validates and returns an immutable model;
`check_policy` returns every problem with its location for `voc policy check`.
"""
from __future__ import annotations

import os
import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from domain.teams_people import is_teams_person, person_id as teams_person_id

KINDS = ("complaint", "suggestion", "inquiry", "praise")
CATEGORIES = ("quality", "delivery", "technical", "commercial", "service", "other")
SEVERITIES = ("AA", "A", "B")
LANGUAGES = ("en", "zh")

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.yaml")


# A person: a Slack user id, or a Teams person as the domain names them (TM + their Entra object id in
# base32: bot/teams/people.py).
USER_ID = r"^([UW][A-Z0-9]{2,}|TM[A-Z2-7]{26})$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(_Frozen):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Company(_Frozen):
    """The company using VOC Desk."""

    name: str = Field(min_length=1, description="the company's name, shown in reports and the 8D")
    timezone: str = Field(description="IANA time zone (Asia/Shanghai): every time is shown, and every deadline "
                          "counted, in it")
    language: Literal["en", "zh"] = Field(default="en", description="language when a user's Slack locale is unknown, "
                                          "and of channel reports and 8D reports unless set otherwise")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)")
        return value


class TeamsPlace(_Frozen):
    """A department's place in Microsoft Teams: the channel its items are posted in and the tag pinged."""

    channel: str = Field(pattern=r"^19:[A-Za-z0-9_\-]+@thread\.(tacv2|skype)$", max_length=200,
                         description="Teams channel id (19:…@thread.tacv2) where its items are posted")
    tag: str | None = Field(default=None, max_length=200, description="Teams tag id pinged for a new item")
    tag_name: str | None = Field(default=None, max_length=100, description="the tag's name as people see it (@Quality)")


class Department(_Frozen):
    """A department that handles items: the key (`quality`) is its id in routing and roles."""

    name: Label = Field(description="its name in each language")
    channel: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$",
                                description="Slack channel id where its items are posted (a Teams-only company leaves it out)")
    usergroup: str | None = Field(default=None, pattern=r"^S[A-Z0-9]{2,}$",
                                  description="Slack user group id: its members are the department's people")
    manager: str | None = Field(default=None, pattern=USER_ID,
                                description="Slack user id of its manager, or a Teams person by Entra object id (a GUID) or TM… id "
                                "(escalations, approvals, corrections)")
    teams: TeamsPlace | None = Field(default=None, description="where its items go in Microsoft Teams (docs/teams.md); "
                                     "needed only when VOC_PLATFORM includes teams")

    @field_validator("manager", mode="before")
    @classmethod
    def _manager_id(cls, value):
        """A Teams manager named by Entra object id is kept as the domain's id of them, as in roles."""
        return people_ids((value,))[0] if isinstance(value, str) and not re.match(USER_ID, value) and _is_guid(value) else value

    @model_validator(mode="after")
    def _placed_somewhere(self) -> "Department":
        if self.channel is None and self.teams is None:
            raise ValueError("a department needs a Slack channel (channel) or a Teams place (teams.channel)")
        return self

    def channel_on(self, platform: str) -> str:
        """The conversation its items' threads start in, on `platform` (slack | teams)."""
        if platform == "teams":
            if self.teams is None:
                raise ValueError("this department has no Teams channel (policy: departments.<id>.teams.channel)")
            return self.teams.channel
        if self.channel is None:
            raise ValueError("this department has no Slack channel (policy: departments.<id>.channel)")
        return self.channel


class SeverityRule(_Frozen):
    """A severity trigger (LABELING.md): words that make a complaint AA or A."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="its id, named in reasons and in `reject_rate.rule`")
    severity: Literal["AA", "A"] = Field(description="the level it triggers")
    label: Label = Field(description="how the reason is shown to people")
    keywords: tuple[str, ...] = Field(min_length=1, description="the words that trigger it (the vocabulary syntax at "
                                      "the top of default_policy.yaml)")
    hard: bool = Field(default=False, description="absolute: a complaint with this trigger is never below its level, "
                       "whatever the model says")
    feature_only: bool = Field(default=False, description="only a feature the model weighs ('hospital', 'brake'), "
                               "never a trigger by itself")


class RejectRate(_Frozen):
    """LABELING.md: a stated defect rate in one lot at or above `percent` is a whole-lot problem."""
    percent: float = Field(default=20, gt=0, le=100, description="the defect rate, in percent, that makes a whole-lot problem")
    rule: str = Field(default="whole_batch", description="the severity rule (its id) such a rate triggers")
    words: tuple[str, ...] = Field(default=(), description="a rate counts only in a clause with one of these words, "
                                   "which say what is bad ('25 % rejected', 不良率30%)")


class SeverityCosts(_Frozen):
    """What grading a message wrongly costs (rows: true level; columns: the level given). The
    severity decided is the one with the least expected cost under the model's probabilities, so
    an AA graded A (a stopped customer on a 48-hour clock) weighs more than an A graded AA."""
    AA: dict[Literal["AA", "A", "B"], float] = Field(default={"AA": 0, "A": 4, "B": 6},
                                                     description="the cost of grading a true AA as each level")
    A: dict[Literal["AA", "A", "B"], float] = Field(default={"AA": 1, "A": 0, "B": 2},
                                                    description="the cost of grading a true A as each level")
    B: dict[Literal["AA", "A", "B"], float] = Field(default={"AA": 2, "A": 1, "B": 0},
                                                    description="the cost of grading a true B as each level")


class Classification(_Frozen):
    """How a message is classified: vocabulary, severity triggers and the thresholds of the model
    (docs/classifier.md, LABELING.md)."""

    confidence_threshold: float = Field(default=0.6, ge=0, le=1, description="below this confidence the bot asks the "
                                        "reporter to confirm instead of filing at once")
    severity_costs: SeverityCosts = SeverityCosts()
    aa_model_probability: float = Field(default=0.3, ge=0, le=1.01, description="with no word of the AA list, the "
                                        "model grades AA only from this P(AA); below it the costs choose between A and B "
                                        "(and the AA question asks). 0: the model alone always may; above 1: never")
    aa_question_probability: float = Field(default=0.05, ge=0, le=1, description="a message graded lower whose AA "
                                           "probability is at least this is not filed at once: the reporter is asked "
                                           "whether a line stop, safety or a recall is involved")
    reject_rate: RejectRate = RejectRate()
    conditionals: tuple[str, ...] = Field(default=(), description="'if', 如果: a negation inside a condition does not cancel a trigger")
    future: tuple[str, ...] = Field(default=(), description="'will', 就要: a line stop said in the future is an imminent stop")
    later: tuple[str, ...] = Field(default=(), description="'days of stock', 周五前: a stop that far away is no imminent stop")
    history: tuple[str, ...] = Field(default=(), description="'last year', 去年: a trigger told as history is no trigger")
    causes: tuple[str, ...] = Field(default=(), description="'because', 因为: a negation inside a stated cause is the "
                                    "cause's ('the line stopped because the truck did not arrive'), not the trigger's")
    not_ours: tuple[str, ...] = Field(default=(), description="'not our parts', 跟我们无关: the AA triggers the message "
                                      "names were not caused by us (LABELING.md: AA is caused, or said to be caused, by us)")
    partial: tuple[str, ...] = Field(default=(), description="'part of the volume', 一部分: a threat to move part of the "
                                     "business is a commercial threat (A), not a threat to all of it (AA)")
    partial_rule: str = Field(default="commercial_threat", description="the severity rule (its id) a partial supply "
                              "threat becomes")
    usable: tuple[str, ...] = Field(default=(), description="'used them anyway', 照常使用: parts the customer could use; "
                                    "a defect said of them is no `usable_rule` trigger (LABELING.md: minor, usable → B)")
    usable_rule: str = Field(default="functional_defect", description="the severity rule (its id) that a statement of "
                             "usable parts turns into a near miss")
    kinds: dict[Literal["complaint", "suggestion", "inquiry", "praise"], tuple[str, ...]] = Field(
        description="words that signal each kind of message")
    categories: dict[Literal["quality", "delivery", "technical", "commercial", "service"], tuple[str, ...]] = Field(
        description="words that signal each category (a message matching none is `other`)")
    severity_rules: tuple[SeverityRule, ...] = Field(description="the severity triggers")
    supplier_keywords: tuple[str, ...] = Field(default=(), description="words that say a sub-supplier caused it: "
                                               "`supplier_department` is involved too")
    supplier_department: str | None = Field(default=None, description="the department (its id) that handles "
                                            "sub-suppliers")
    negations: tuple[str, ...] = Field(default=(), description="words that, just before a trigger, cancel it "
                                       "('not stopped', 未停线)")
    hedges: tuple[str, ...] = Field(default=(), description="words that make a severity trigger a near miss: 'almost stopped'")
    not_signals: tuple[str, ...] = Field(default=(), description="phrases that contain a keyword but are not its signal: 'safety stock'")

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> "Classification":
        seen: set[str] = set()
        for rule in self.severity_rules:
            if rule.id in seen:
                raise ValueError(f"severity rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self


class Milestone(_Frozen):
    """One promise of the procedure: how long from receipt, on which clock, for which categories and
    on what condition. Its length is stated in exactly one unit, as the procedure states it: `hours`
    (working hours on a working clock), `days` (working days on a working clock: the same clock time
    N working days later) or `months` (the same date a month later). docs/sla.md defines each."""

    milestone: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="its id: a key of `milestones` (its label)")
    hours: float | None = Field(default=None, gt=0, description="stated in hours: working hours on a working clock")
    days: int | None = Field(default=None, gt=0, description="stated in days: working days on a working clock")
    months: int | None = Field(default=None, gt=0, description="stated in months: the same date N months later")
    clock: Literal["calendar", "working"] = Field(
        default="calendar", description="calendar time, or the company's working time (working_time)")
    categories: tuple[Literal["quality", "delivery", "technical", "commercial", "service", "other"], ...] | None = Field(
        default=None, description="the categories it applies to (all when unset)")
    when: Literal["wants_8d"] | None = Field(
        default=None, description="a condition: wants_8d — only while the customer asks for an 8D report")

    @model_validator(mode="after")
    def _one_unit(self) -> "Milestone":
        if sum(v is not None for v in (self.hours, self.days, self.months)) != 1:
            raise ValueError(f"milestone {self.milestone!r}: say its length in exactly one of hours, days or months")
        return self

    def applies(self, category: str | None, wants_8d: bool | None) -> bool:
        """Whether it runs for an item of this category (None: any) and 8D request."""
        if self.categories is not None and category is not None and category not in self.categories:
            return False
        return self.when != "wants_8d" or wants_8d is True

    @property
    def nominal_hours(self) -> float:
        """Its length in calendar hours as the procedure reads it (72 h, 7 days = 168 h, a month = 720 h)."""
        return self.hours if self.hours is not None else 24.0 * (self.days if self.days is not None else 30 * self.months)


class Deadlines(_Frozen):
    """The milestones each kind of item must meet, from its receipt (docs/sla.md)."""

    complaint: dict[Literal["AA", "A", "B"], tuple[Milestone, ...]] = Field(
        description="a complaint's milestones, per severity (all three required)")
    suggestion: tuple[Milestone, ...] = Field(default=(), description="a suggestion's milestones")
    inquiry: tuple[Milestone, ...] = Field(default=(), description="an inquiry's milestones")
    praise: tuple[Milestone, ...] = Field(default=(), description="praise's milestones")

    @field_validator("complaint")
    @classmethod
    def _all_severities(cls, value: dict) -> dict:
        missing = [s for s in SEVERITIES if s not in value]
        if missing:
            raise ValueError(f"milestones missing for severity {', '.join(missing)}")
        return value


class Intake(_Frozen):
    """How a message becomes an item (docs/intake.md)."""

    undo_minutes: int = Field(default=10, ge=0, le=1440, description="the reporter may undo a filing this long after it")
    max_text_chars: int = Field(default=20000, ge=100, description="a message is kept up to this many characters; "
                                "the rest is cut")
    draft_reminder_minutes: int = Field(default=30, ge=1, description="remind the reporter of an unconfirmed proposal")
    unconfirmed_aa_minutes: int = Field(default=15, ge=1, description="file an unconfirmed AA complaint after this")
    duplicate_hours: int = Field(default=48, ge=0, le=720,
                                 description="the same customer and part again within this: offered as 'add to VOC-n'")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class HolidayYear(_Frozen):
    """A year's public holidays and make-up working days, listed until the holiday package has them."""

    holidays: tuple[date, ...] = Field(default=(), description="public holidays (days off)")
    workdays: tuple[date, ...] = Field(default=(), description="make-up working days (调休上班)")
    complete: bool = Field(default=False, description="the whole announced schedule is listed; until then start-up "
                           "still warns about the year")


class WorkingTime(_Frozen):
    """When the company works: what a deadline in working hours counts (domain.sla.calendar)."""

    country: str | None = Field(default="CN", description="public holidays: CN uses chinese-calendar, others `holidays`")
    weekdays: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = Field(
        default=("mon", "tue", "wed", "thu", "fri"), min_length=1, description="the working days of a week")
    hours: tuple[str, ...] = Field(default=("08:30-12:00", "13:00-17:30"), min_length=1,
                                   description="working periods of a day, HH:MM-HH:MM, in order")
    shutdown: tuple[date, ...] = Field(default=(), description="the company's own closed days")
    years: dict[int, HolidayYear] = Field(default_factory=dict, description="per year, its holidays and make-up days "
                                          "while the holiday package does not know it yet")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value and value.upper() != "CN":
            import holidays

            if value.upper() not in holidays.list_supported_countries():
                raise ValueError(f"no public holiday calendar for country {value!r} (use an ISO code such as CN, DE, US)")
        return value

    @field_validator("hours")
    @classmethod
    def _periods(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        last = None
        for period in value:
            try:
                a, b = (time.fromisoformat(t.strip()) for t in period.split("-"))
            except ValueError:
                raise ValueError(f"working period {period!r} is not HH:MM-HH:MM")
            if b <= a or (last is not None and a < last):
                raise ValueError(f"working period {period!r} must end after it starts and after the one before it")
            last = b
        return value

    def periods(self) -> tuple[tuple[time, time], ...]:
        return tuple(tuple(time.fromisoformat(t.strip()) for t in p.split("-")) for p in self.hours)  # type: ignore[misc]


class ThreadSettings(_Frozen):
    """How people work in an item's thread."""

    reactions: dict[str, str] = Field(
        default_factory=lambda: {"eyes": "take_ownership", "white_check_mark": "request_closure"},
        description="emoji name (no colons) -> lifecycle action; a reaction on the thread parent does it")

    @field_validator("reactions")
    @classmethod
    def _known_actions(cls, value: dict[str, str]) -> dict[str, str]:
        from domain.lifecycle.table import ACTIONS

        unknown = sorted({a for a in value.values() if a not in ACTIONS})
        if unknown:
            raise ValueError(f"unknown lifecycle action(s) {', '.join(unknown)} (see docs/lifecycle.md)")
        return value


class Retention(_Frozen):
    """How long what people sent is kept after its work is done."""

    inbound_days: int = Field(default=30, ge=1, le=3650, description="a processed Slack request (its payload) is "
                              "deleted this many days after it arrived; the item, its events and discussion stay")


class CustomerSeed(_Frozen):
    """A known customer, seeded into the customer list at start-up and matched in messages."""

    name: str | Label = Field(description="one name, or one per language: {en: Geely Auto, zh: 吉利汽车}")
    aliases: tuple[str, ...] = Field(default=(), description="other names people use for it (matched case-insensitively)")
    report_language: Literal["en", "zh"] | None = Field(default=None, description="the 8D report's language; the company's when unset")
    requires_8d: bool = Field(default=False, description="the customer asks for an 8D report on every complaint (seed 000 §6.3.1)")
    restricted: bool = Field(default=False, description="seed 001 §4.3: its records are shown only to its account team "
                             "(owner, backup, `visible_to`), the departments handling the item, the QM, the GM and admins")
    visible_to: "Members | None" = Field(default=None, description="the account team of a restricted customer")
    # The customer record (seed 001 §4.1, §4.3; docs/customers.md). Seeded from here once; after that
    # the database is the truth (`/customer`, `voc import customers`).
    account_owner: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,}$", description="the salesperson who "
                                      "owns the account (Slack user id): survey and improvement tasks go to them")
    account_backup: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,}$",
                                       description="who stands in for the owner, and takes over when they leave")
    contacts: tuple["CustomerContact", ...] = Field(default=(), description="the customer's people: name, role, e-mail, phone")
    deadlines: dict[str, "DeadlineOverride"] = Field(default_factory=dict, description="seed 000 §6.2 (若顾客有规定时依顾客规定执行): "
                                                     "per milestone id, the customer's own length, instead of the company's")
    eight_d_form: str | None = Field(default=None, max_length=120, description="seed 000 §6.3.4: the customer's own 8D "
                                     "template or portal; the company's form when unset")
    acceptance_required: bool | None = Field(default=None, description="whether a complaint of theirs needs their "
                                             "acceptance to close; the company's rule (closure) when unset")
    survey_moments: tuple[Literal["mid_year", "year_end"], ...] = Field(
        default=(), description="when this customer is surveyed; the company's (satisfaction.survey_moments) when empty")

    @property
    def key_name(self) -> str:
        """The name the record is known by (English where there are several)."""
        return self.name if isinstance(self.name, str) else self.name.en

    @property
    def names(self) -> dict[str, str]:
        return {} if isinstance(self.name, str) else {"en": self.name.en, "zh": self.name.zh}

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name it is matched by: its names in each language and its aliases."""
        return tuple(dict.fromkeys([self.key_name, *self.names.values(), *self.aliases]))




class CustomerContact(_Frozen):
    """One of the customer's people (seed 001 §4.1, 顧客檔案登記表)."""

    name: str = Field(min_length=1, max_length=100, description="the person's name")
    role: str | None = Field(default=None, max_length=100, description="e.g. SQE, buyer, quality manager")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="e-mail address")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^\+?[0-9][0-9 ()\-]{4,38}$", description="phone number")


class DeadlineOverride(_Frozen):
    """A customer's own length for one milestone, in one unit; on the company's clock unless it says."""

    hours: float | None = Field(default=None, gt=0, le=8760, description="stated in hours (working hours on a working clock)")
    days: int | None = Field(default=None, gt=0, le=365, description="stated in days (working days on a working clock)")
    months: int | None = Field(default=None, gt=0, le=12, description="stated in months")
    clock: Literal["calendar", "working"] | None = Field(default=None, description="the company's milestone's when unset")

    @model_validator(mode="after")
    def _one_unit(self) -> "DeadlineOverride":
        if sum(v is not None for v in (self.hours, self.days, self.months)) != 1:
            raise ValueError("say the length in exactly one of hours, days or months")
        return self


def _is_guid(value: str) -> bool:
    try:
        teams_person_id(value)
    except ValueError:
        return False
    return True


def people_ids(value: tuple[str, ...]) -> tuple[str, ...]:
    """Slack user ids as they are; a Teams person's Entra object id (a GUID) as the domain's id of
    them (domain/teams_people.py), so the role checks compare one id whichever platform acts."""
    out, bad = [], []
    for u in value:
        if re.match(USER_ID, u) or is_teams_person(u):
            out.append(u)
            continue
        try:
            out.append(teams_person_id(u))
        except ValueError:
            bad.append(u)
    if bad:
        raise ValueError(f"neither Slack user ids nor Microsoft Entra object ids: {', '.join(bad)}")
    return tuple(out)


class Members(_Frozen):
    """A role's people: a Slack user group's members and/or explicit users."""

    usergroup: str | None = Field(default=None, pattern=r"^S[A-Z0-9]{2,}$", description="a Slack user group id: its members")
    users: tuple[str, ...] = Field(default=(), description="Slack user ids, and Teams people by their Microsoft Entra "
                                   "object id (a GUID) or the domain's id of them (TM…, `voc teams person`)")

    @field_validator("users")
    @classmethod
    def _user_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return people_ids(value)


CustomerSeed.model_rebuild()  # its account team, contacts and deadlines are defined just above


class DepartmentPeople(_Frozen):
    """People of a department beyond its user group and its manager."""

    users: tuple[str, ...] = Field(default=(), description="Slack user ids (or Teams people's Microsoft Entra object "
                                   "ids) of members beyond the user group")
    managers: tuple[str, ...] = Field(default=(), description="Slack user ids (or Teams people's Microsoft Entra object "
                                      "ids) of managers besides `departments.<id>.manager`")

    @field_validator("users", "managers")
    @classmethod
    def _people(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return people_ids(value)


class Corrections(_Frozen):
    """Who may correct a filed item's classification, and until when (docs/lifecycle.md, Roles)."""

    classification_fixable_while: tuple[str, ...] = Field(
        default=("received",), description="states in which the reporter and the department may still fix a filed "
        "item's kind and category (nobody works it yet); after them only a manager. Severity and department always "
        "go through change_severity / reassign (a manager, with a reason)")

    @field_validator("classification_fixable_while")
    @classmethod
    def _open_states(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from domain.lifecycle.table import FINAL, Status

        bad = [v for v in value if v not in {s.value for s in Status} or v in FINAL or v == Status.draft]
        if bad:
            raise ValueError(f"not states of a filed, open item: {', '.join(bad)}")
        return value


class RolesConfig(_Frozen):
    """Who may do what (docs/lifecycle.md): each role's people."""

    sales: Members | None = Field(default=None, description="the salespeople (the customers' account "
                                  "owners)")
    quality_manager: Members | None = Field(default=None, description="the quality manager: keeps the ledger, "
                                            "approves 8Ds and AA closures")
    general_manager: Members | None = Field(default=None, description="the general manager: approves AA actions, "
                                            "the last escalation level")
    rd_director: Members | None = Field(default=None, description="reviews an AA complaint's actions (seed 000 ZYQP017 d: 研发总监审核)")
    admins: Members | None = Field(default=None, description="may do everything a manager may, in every department")
    departments: dict[str, DepartmentPeople] = Field(default={}, description="per department id, people beyond its "
                                                     "user group and manager")


class EscalationLevel(_Frozen):
    """One rung of the ladder after a deadline is missed: how long after it, who is told (besides
    the thread), and for which severities (all when unset)."""

    after_hours: float = Field(ge=0, description="hours after the deadline")
    notify: tuple[Literal["department_manager", "quality_manager", "general_manager"], ...] = Field(
        default=(), description="who is told by DM, besides the thread")
    severities: tuple[Literal["AA", "A", "B"], ...] | None = Field(default=None, description="the severities it applies "
                                                                   "to; all when unset")


class Repeats(_Frozen):
    """Repeat occurrence (seeds 000, 004): the same problem coming back — the same customer with the
    same part number, or the same failure mode (`failure_modes`: a crack, a burr, a wrong label, a
    late delivery…) — within the window. Not any complaint of the same category."""

    window_days: int = Field(default=365, ge=1, le=3650, description="an earlier item at most this many days before "
                             "makes a repeat")
    raise_severity: bool = Field(default=True, description="a repeated B complaint becomes A (unless a person chose B)")
    failure_modes: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="failure mode -> words that name it (English, Chinese); a repeat shares one")


class Escalation(_Frozen):
    """Reminders before a deadline and the escalation ladder after it (domain/sla/ladder.py)."""

    remind_at: float = Field(default=0.75, gt=0, lt=1, description="remind at this share of the milestone's time")
    levels: tuple[EscalationLevel, ...] = (
        EscalationLevel(after_hours=0, notify=("department_manager",)),
        EscalationLevel(after_hours=4, notify=("quality_manager",)),
        EscalationLevel(after_hours=8, notify=("general_manager",), severities=("AA",)),
    )
    snooze: tuple[Literal["1h", "4h", "next_working_day"], ...] = Field(
        default=("1h", "4h", "next_working_day"), description="the snooze choices a reminder offers")

    def levels_for(self, severity: str) -> tuple[EscalationLevel, ...]:
        return tuple(level for level in self.levels if level.severities is None or severity in level.severities)


ClosureCriterion = Literal["corrective_done", "clean_lots", "preventive_documents", "customer_acceptance", "customer_reply"]
QUALITY_CLOSURE: tuple[ClosureCriterion, ...] = ("corrective_done", "clean_lots", "preventive_documents", "customer_acceptance")
OTHER_CLOSURE: tuple[ClosureCriterion, ...] = ("corrective_done", "customer_reply", "customer_acceptance")


class Closure(_Frozen):
    """The closure gate's knobs: what each category of complaint needs before it closes (seed 000 TS
    §4.2.2.2), who verifies (seed 000 §6.4.1), customer acceptance, QM approval, sane dates."""

    criteria: dict[Literal["quality", "delivery", "technical", "commercial", "service", "other"], tuple[ClosureCriterion, ...]] = Field(
        default_factory=lambda: {"quality": QUALITY_CLOSURE, **{c: OTHER_CLOSURE for c in
                                                                ("delivery", "technical", "commercial", "service", "other")}},
        description="per complaint category, what must hold before it closes: corrective_done (every corrective action "
                    "done), clean_lots (clean_batches clean lots after the fix), preventive_documents (a preventive action "
                    "done that updated the PFMEA or the control plan), customer_acceptance (where the customer requires it), "
                    "customer_reply (a reply to the customer recorded). A category left out needs corrective_done only.")
    verified_by: str = Field(default="quality", description="the department that records the internal verification "
                                                              "(besides the quality manager and admins)")
    action_due_max_days: int = Field(default=365, ge=1, le=3650,
                                     description="an action's due date at most this many days after the item was received")
    clean_batches: int = Field(default=2, ge=1, le=10, description="clean lots needed after the fix (clean_lots)")
    customer_acceptance_required: bool = Field(default=True, description="whether a complaint needs the customer's "
                                               "acceptance to close (customer_acceptance), unless set per customer")
    customer_acceptance: dict[str, bool] = Field(default_factory=dict, description="per customer name, overrides the default")
    qm_approval_severities: tuple[Literal["AA", "A", "B"], ...] = Field(
        default=("AA",), description="complaints of these severities close only with the quality manager's approval")

    def acceptance_required(self, customer: str | None) -> bool:
        if customer is not None:
            for name, required in self.customer_acceptance.items():
                if name.casefold() == customer.casefold():
                    return required
        return self.customer_acceptance_required

    def criteria_for(self, category: str) -> tuple[str, ...]:
        return self.criteria.get(category, ("corrective_done",))


APPROVER_ROLES = ("quality_manager", "general_manager", "rd_director")
# An approver is one of these roles (its users and user group) or a Slack user id.
Approver = Annotated[str, Field(pattern=r"^(quality_manager|general_manager|rd_director|[UW][A-Z0-9]{2,})$")]


class EightDApproval(_Frozen):
    """Who approves the 8D before it is sent (seed 000 ULMT §5.2.5: 品质部门经理或以上人员审批)."""

    required: bool = Field(default=True, description="Send 8D is refused until the current revision is approved")
    approvers: tuple[Approver, ...] = Field(
        default=("quality_manager", "general_manager"), min_length=1,
        description="who may approve or reject; the first entry's people are asked by DM, the others may answer from the thread")


class ApprovalStage(_Frozen):
    """One stage of an action's approval chain and who decides it."""

    stage: str = Field(pattern=r"^[a-z_]{2,20}$", description="review, approve, …: shown to people as approvals.stage.<stage>")
    approvers: tuple[Approver, ...] = Field(min_length=1, description="who decides: a role (quality_manager, "
                                            "general_manager, rd_director) or a Slack user id")


class ActionApproval(_Frozen):
    """Corrective and preventive actions reviewed and approved before they count (seed 000 ZYQP017 d:
    经研发总监审核、总经理批准后实施; §6.3.2–3: an action not approved is re-worked)."""

    severities: tuple[Literal["AA", "A", "B"], ...] = Field(default=("AA",), description="whose actions go through the chain")
    types: tuple[Literal["corrective", "preventive"], ...] = Field(default=("corrective", "preventive"),
                                                                   description="which actions go through the chain")
    chain: tuple[ApprovalStage, ...] = Field(
        default=(ApprovalStage(stage="review", approvers=("rd_director",)),
                 ApprovalStage(stage="approve", approvers=("general_manager",))),
        description="the stages in order, each with who decides it")


class ClaimApproval(_Frozen):
    """Who approves a claim the company accepts, in whole or in part, above an amount before it is paid
    (seed 000 顾客沟通和服务控制程序 §3.1: 总经理对顾客补、退货投诉的处理进行审批; the seeds name no amount, so
    the defaults are the product's: docs/procedure.md). The currencies listed are the ones a claim may be in."""

    approvers: tuple[Approver, ...] = Field(
        default=("general_manager",), min_length=1,
        description="who approves or sends back an accepted claim above the amount; the first entry's people are asked by DM")
    above: dict[str, Decimal] = Field(
        default_factory=lambda: {"CNY": Decimal("10000"), "USD": Decimal("1500"), "EUR": Decimal("1300")}, min_length=1,
        description="per currency (ISO 4217): an accepted amount above this needs the approval; a claim in a currency "
                    "not listed is refused")


class Approvals(_Frozen):
    """Approvals of the procedure (docs/lifecycle.md, Approvals)."""

    eight_d: EightDApproval = EightDApproval()
    actions: ActionApproval = ActionApproval()
    claims: ClaimApproval = ClaimApproval()


class Recipient(_Frozen):
    """Where a scheduled report goes: a channel, or a person's DM; in `language` (else the channel's
    report language, or the person's Slack language)."""
    channel: str | None = Field(default=None, pattern=r"^([CG][A-Z0-9]{2,}|19:[A-Za-z0-9_\-]+@thread\.(tacv2|skype))$",
                                description="a Slack channel id, or a Teams channel's id (19:…@thread.tacv2)")
    user: str | None = Field(default=None, pattern=USER_ID, description="a Slack user id, or a Teams person (TM…): a DM")
    language: Literal["en", "zh"] | None = Field(default=None, description="the report's language here")

    @model_validator(mode="after")
    def _one_target(self) -> "Recipient":
        if (self.channel is None) == (self.user is None):
            raise ValueError("a recipient is a channel or a user, exactly one")
        return self


class ReportSchedule(_Frozen):
    """When a scheduled report is sent, and to whom (docs/reports.md)."""

    enabled: bool = Field(default=True, description="false: not sent on schedule")
    at: time = Field(default=time(9, 0), description="company time")
    to: tuple[Recipient, ...] = ()


class WeeklyDigest(ReportSchedule):
    """The weekly digest (docs/reports.md)."""

    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = Field(default="mon", description="sent on this day")
    departments: bool = Field(default=True, description="also one digest per department, to its channel")


class MonthlyReport(ReportSchedule):
    """The monthly report, on the month before (docs/reports.md)."""

    day: int = Field(default=1, ge=1, le=28, description="sent on this day of the following month")


class AnnualReport(ReportSchedule):
    """The annual report, on the year before (docs/reports.md)."""

    month: int = Field(default=1, ge=1, le=12, description="sent in this month of the following year")
    day: int = Field(default=2, ge=1, le=28, description="sent on this day of `month`")


class Reports(_Frozen):
    """Scheduled reports and exports (docs/reports.md)."""

    language: Literal["en", "zh"] | None = Field(default=None, description="channel reports' language; the company's when unset")
    weekly: WeeklyDigest = WeeklyDigest()
    monthly: MonthlyReport = MonthlyReport()
    annual: AnnualReport = AnnualReport()
    late_after_minutes: int = Field(default=60, ge=1, description="sent later than this after its moment: says it is late")
    catch_up_days: int = Field(default=62, ge=1, le=800, description="a report missed while the scheduler was down is "
                               "still sent if its moment is at most this old")
    on_time_target: float = Field(default=0.9, gt=0, le=1, description="the share of milestones met on time the "
                                  "reports' charts mark as the target")
    listed: int = Field(default=10, ge=1, le=50, description="at most this many overdue items, customers… in a message")
    export_roles: tuple[Literal["quality_manager", "general_manager", "admins", "department_manager", "sales"], ...] = Field(
        default=("quality_manager", "general_manager", "admins", "department_manager"),
        description="who may export the ledger and the audit trail (`/export`): they hold every customer's complaints")
    audit_pack_roles: tuple[Literal["quality_manager", "general_manager", "admins", "department_manager", "sales"], ...] = Field(
        default=("quality_manager", "general_manager", "admins"),
        description="who may take the audit pack (`/export audit-pack`): the quality manager, who keeps the ledger "
                    "(seed 000 TS §4.2.2.1), or above")
    audit_pack_max_8d: int = Field(default=60, ge=0, le=2000,
                                   description="at most this many 8D PDFs in an audit pack made in Slack (about a second "
                                               "each, within a worker's claim lease); `voc export audit-pack` has no limit")


class SatisfactionRule(_Frozen):
    """One line of the deduction-and-bonus table (seed 000): points the first time and for a repeat.
    `source` says what it is counted from: a complaint on record (filtered by category, line stop,
    late handling), a run of months without complaints, or a manual entry (a proactive visit)."""
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="its id")
    label: Label = Field(description="how it is shown")
    points: float = Field(description="points added (negative: deducted) the first time")
    repeat_points: float | None = Field(default=None, description="points for a repeat occurrence; `points` when unset")
    source: Literal["complaint", "quiet_months", "manual", "return_rate"] = Field(
        description="counted from a complaint on record, a run of months without complaints, a manual entry, or a "
                    "month's return rate (the customer's returns recorded against its shipments imported)")
    categories: tuple[str, ...] = Field(default=(), description="complaint: only of these categories (all when empty)")
    line_stop: bool = Field(default=False, description="complaint: only one that stopped the customer's line")
    late: bool = Field(default=False, description="complaint: only one handled late (a milestone missed)")
    premium_freight: bool = Field(default=False, description="complaint: only one with a premium-freight claim the "
                                  "company accepted (seed 000 超额运费)")
    min_ppm: float | None = Field(default=None, ge=0, description="return_rate: a calendar month whose return rate for "
                                  "the customer is at least this (seed 000: 当月退货率≥2000ppm)")
    months: int = Field(default=2, ge=1, le=12, description="quiet_months: the run of months without complaints")


class UrgencyWords(_Frozen):
    """How a salesperson writes the customer's hurry, in either language. A phrase of one list that
    contains a phrase of another wins over it ("not urgent" over "urgent", 特别紧急 over 紧急)."""

    very_urgent: tuple[str, ...] = Field(default=(), description="the customer demands very urgent handling (seed 001: 客户要求特别紧急)")
    urgent: tuple[str, ...] = Field(default=(), description="the customer demands urgent handling (客户要求紧急)")
    normal: tuple[str, ...] = Field(default=(), description="said not to be urgent: 'not urgent', 不急")


class EightDWords(_Frozen):
    """How the text says whether the customer wants an 8D report."""

    wanted: tuple[str, ...] = Field(default=(), description="the customer asks for an 8D: '8D', 要求8D")
    not_wanted: tuple[str, ...] = Field(default=(), description="the customer needs none: 'no 8D needed', 不用8D")


class Urgency(_Frozen):
    """The customer's urgency and 8D request, facts of a complaint beside the problem's severity.
    The level that drives deadlines is the stricter of the problem's severity and the urgency's
    level (seed 001 §4.2b: AA when very serious or very urgent; A when serious or urgent)."""

    levels: dict[Literal["urgent", "very_urgent"], Literal["AA", "A", "B"]] = Field(
        default={"very_urgent": "AA", "urgent": "A"}, description="the level each urgency lifts a complaint to at least")
    words: UrgencyWords = Field(default=UrgencyWords(), description="how a message says its urgency")
    eight_d: EightDWords = Field(default=EightDWords(), description="how a message says whether an 8D is wanted")


class VisitTerm(_Frozen):
    """How long a field-service promise runs, in exactly one unit, on a clock (the units of a milestone)."""

    hours: float | None = Field(default=None, gt=0, description="stated in hours: working hours on a working clock")
    days: int | None = Field(default=None, gt=0, description="stated in days: working days on a working clock")
    months: int | None = Field(default=None, gt=0, description="stated in months: the same date N months later")
    clock: Literal["calendar", "working"] = Field(default="calendar", description="calendar time, or the company's working time")

    @model_validator(mode="after")
    def _one_unit(self) -> "VisitTerm":
        if sum(v is not None for v in (self.hours, self.days, self.months)) != 1:
            raise ValueError("say its length in exactly one of hours, days or months")
        return self

    @property
    def nominal_hours(self) -> float:
        return self.hours if self.hours is not None else 24.0 * (self.days if self.days is not None else 30 * self.months)


def province_key(name: str | None) -> str:
    """A province as people write it: 浙江, 浙江省, Zhejiang, Zhejiang Province are one."""
    text = (name or "").strip().casefold()
    for suffix in ("province", "省", "市", "自治区"):
        text = text.removesuffix(suffix).strip()
    return text


class FieldService(_Frozen):
    """Field service visits (docs/returns-claims-visits.md): when the engineer must be on site, counted
    from the visit's request, by where the site is; and when the customer-signed report is due,
    counted from the engineer's return."""

    home_province: tuple[str, ...] = Field(
        default=("浙江", "Zhejiang"), description="the company's home province, in every spelling people use")
    home_arrival: VisitTerm = Field(default=VisitTerm(days=1, clock="working"),
                                    description="on site within this, in the home province (seed 004: 1个工作日)")
    elsewhere_arrival: VisitTerm = Field(default=VisitTerm(days=3, clock="working"),
                                         description="on site within this, outside it (seed 004: 3个工作日; seed 000: 3日内)")
    by_province: dict[str, VisitTerm] = Field(default={}, description="a province or region with its own arrival term")
    report: VisitTerm = Field(default=VisitTerm(days=5), description="the signed report within this of the return "
                              "(seed 003: 返回后5日内)")
    customer_provinces: dict[str, str] = Field(default={}, description="a customer (any of its names) and the province of "
                                               "its site: the visit form's default")

    def arrival_term(self, province: str | None) -> tuple[VisitTerm, bool]:
        """(the arrival term, whether the site is in the home province) for a site's province."""
        key = province_key(province)
        for name, term in self.by_province.items():
            if key and province_key(name) == key:
                return term, key in {province_key(h) for h in self.home_province}
        home = bool(key) and key in {province_key(h) for h in self.home_province}
        return (self.home_arrival if home else self.elsewhere_arrival), home


class SatisfactionImprovementPolicy(_Frozen):
    """The improvement action as a tracked task (seed 000 §5.2.4: sales proposes the direction, each
    department answers with its countermeasure)."""
    due_days: int = Field(default=14, ge=1, le=366, description="days from opening to due; seed 000: the analysis within two weeks (二个星期内)")
    remind_every_days: int = Field(default=7, ge=1, le=366, description="the owner is reminded on the due day, then every this many days while open")
    sales_department: str = Field(default="sales", description="whose manager owns the task when the customer has no account owner")
    departments: tuple[str, ...] = Field(default=(), description="the departments that answer; empty: every department (seed 000: 转各单位)")


class Satisfaction(_Frozen):
    """Customer satisfaction (seed 000; docs/satisfaction.md): score A from the survey, score B from
    100 plus the rules' points; below the threshold an improvement task opens."""

    survey_moments: tuple[Literal["mid_year", "year_end"], ...] = Field(
        default=("year_end",), min_length=1,
        description="when surveys are taken: seed 000 §5.1.3 once a year in December (year_end); "
                    "[mid_year, year_end] for the twice-yearly survey of §5.2.1.1")
    improvement: SatisfactionImprovementPolicy = SatisfactionImprovementPolicy()
    items: dict[str, Label] = Field(default_factory=lambda: {
        "service": Label(en="Staff service", zh="人员服务"),
        "complaint_handling": Label(en="Complaint handling", zh="客诉处理"),
        "quality": Label(en="Quality", zh="品质"),
        "delivery": Label(en="Delivery", zh="交期")}, description="the survey's questions: id -> its label")
    survey_weight: float = Field(default=0.4, ge=0, le=1, description="the survey score's weight in the composite")
    performance_weight: float = Field(default=0.6, ge=0, le=1, description="the performance score's weight in the composite")
    threshold: float = Field(default=0.8, gt=0, le=1, description="an item rate or the composite below it: improvement action")
    rules: tuple[SatisfactionRule, ...] = Field(default=(), description="the deduction-and-bonus table")


class EightDReport(_Frozen):
    """The 8D document (seed 000 §5.2.5 and §7.5: the quality department issues the 《8D Report》 form)."""
    form_number: str | None = Field(default="ULMT-QR-QC-008", max_length=40,
                                    description="the form's number in the company's document control, printed on every 8D; none when unset")


class Policy(_Frozen):
    def clock_version(self) -> str:
        """A short fingerprint of what a deadline's moments were computed from (milestones, working
        time): stored with each deadline, so an edited policy never moves old deadlines silently."""
        import hashlib
        import json

        basis = {"deadlines": self.deadlines.model_dump(mode="json"), "working_time": self.working_time.model_dump(mode="json")}
        return hashlib.sha1(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:12]

    def report_language(self, customer: str | None) -> str:
        """The language of a customer's 8D report: the customer's setting, else the company's."""
        for seed in self.customers:
            if customer is not None and customer.casefold() in {n.casefold() for n in seed.all_names}:
                return seed.report_language or self.company.language
        return self.company.language

    company: Company
    departments: dict[str, Department] = Field(min_length=1)
    routing: dict[Literal["quality", "delivery", "technical", "commercial", "service", "other"], str] = Field(
        description="the department (its id) that handles each category; every category needs one")
    classification: Classification
    milestones: dict[str, Label] = Field(description="every milestone id used in `deadlines`, with its label")
    deadlines: Deadlines
    intake: Intake = Intake()
    working_time: WorkingTime = WorkingTime()
    thread: ThreadSettings = ThreadSettings()
    retention: Retention = Retention()
    customers: tuple[CustomerSeed, ...] = ()
    roles: RolesConfig = RolesConfig()
    corrections: Corrections = Corrections()
    closure: Closure = Closure()
    approvals: Approvals = Approvals()
    escalation: Escalation = Escalation()
    repeats: Repeats = Repeats()
    reports: Reports = Reports()
    satisfaction: Satisfaction = Satisfaction()
    eightd: EightDReport = EightDReport()
    urgency: Urgency = Urgency()
    field_service: FieldService = FieldService()

    def province_of(self, customer: str | None) -> str | None:
        """The province of a customer's site (policy field_service.customer_provinces), by any of its names."""
        if customer is None:
            return None
        seed = self._customer_seed(customer)
        names = {n.casefold() for n in (seed.all_names if seed else (customer,))}
        return next((p for c, p in self.field_service.customer_provinces.items() if c.casefold() in names), None)

    def requires_8d(self, customer: str | None) -> bool:
        """Whether this customer asks for an 8D report on every complaint (policy customers[].requires_8d)."""
        seed = self._customer_seed(customer)
        return bool(seed and seed.requires_8d)

    def _customer_seed(self, customer: str | None) -> "CustomerSeed | None":
        if customer is None:
            return None
        return next((seed for seed in self.customers if customer.casefold() in {n.casefold() for n in seed.all_names}), None)

    @model_validator(mode="after")
    def _references(self) -> "Policy":
        problems = reference_problems(self.model_dump(mode="json"))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.company.timezone)

    def department_for(self, category: str) -> str:
        return self.routing[category]


def reference_problems(data: dict) -> list[str]:
    """The checks across sections (a routing to a department that does not exist, a milestone with no
    label, one alias under two customers). They read the raw data defensively, so `voc policy check`
    runs them even when other fields are invalid and reports every problem in one pass."""
    def section(name: str) -> dict:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    problems: list[str] = []
    departments, routing, milestones = section("departments"), section("routing"), section("milestones")
    for category in CATEGORIES:
        if category not in routing:
            problems.append(f"routing: no department for category {category!r}")
    for category, dept in routing.items():
        if isinstance(dept, str) and dept not in departments:
            problems.append(f"routing.{category}: unknown department {dept!r}")
    sup = section("classification").get("supplier_department")
    if isinstance(sup, str) and sup not in departments:
        problems.append(f"classification.supplier_department: unknown department {sup!r}")
    verifier = section("closure").get("verified_by")
    if isinstance(verifier, str) and verifier not in departments:
        problems.append(f"closure.verified_by: unknown department {verifier!r}")
    deadlines = section("deadlines")
    complaint = deadlines.get("complaint") if isinstance(deadlines.get("complaint"), dict) else {}
    groups = [("complaint." + str(sev), ms) for sev, ms in complaint.items()]
    groups += [(k, deadlines.get(k)) for k in ("suggestion", "inquiry", "praise")]
    for where, ms in groups:
        for i, m in enumerate(ms if isinstance(ms, list | tuple) else []):
            name = m.get("milestone") if isinstance(m, dict) else None
            if isinstance(name, str) and name not in milestones:
                problems.append(f"deadlines.{where}[{i}]: milestone {name!r} has no entry under milestones")
    for i, c in enumerate(data.get("customers") if isinstance(data.get("customers"), list | tuple) else []):
        for name in (c.get("deadlines") or {}) if isinstance(c, dict) and isinstance(c.get("deadlines"), dict) else ():
            if name not in milestones:
                problems.append(f"customers[{i}].deadlines: milestone {name!r} has no entry under milestones")
    roles = section("roles")
    for dept in roles.get("departments") or {} if isinstance(roles.get("departments"), dict) else {}:
        if dept not in departments:
            problems.append(f"roles.departments: unknown department {dept!r}")
    problems += _customer_name_clashes(data.get("customers"))
    problems += _approvers_nobody_holds(section("approvals"), roles)
    improvement = section("satisfaction").get("improvement")
    improvement = improvement if isinstance(improvement, dict) else {}
    for dept in [improvement.get("sales_department", "sales"), *(improvement.get("departments") or [])]:
        if isinstance(dept, str) and dept not in departments:
            problems.append(f"satisfaction.improvement: unknown department {dept!r}")
    return problems


def _approvers_nobody_holds(approvals: dict, roles: dict) -> list[str]:
    """An approval waits for a role with nobody in it forever: name the role's people in `roles:`."""
    def empty(role: str) -> bool:
        members = roles.get(role)
        return not isinstance(members, dict) or not (members.get("users") or members.get("usergroup"))

    where = [("approvals.eight_d", (approvals.get("eight_d") or {}).get("approvers") or [])]
    chain = (approvals.get("actions") or {}).get("chain") or []
    where += [(f"approvals.actions.chain[{i}]", (stage or {}).get("approvers") or []) for i, stage in enumerate(chain)
              if isinstance(stage, dict)]
    where.append(("approvals.claims", (approvals.get("claims") or {}).get("approvers") or []))
    return [f"{at}: role {who!r} has nobody under roles.{who}" for at, approvers in where
            for who in approvers if who in APPROVER_ROLES and empty(who)]


def _customer_name_clashes(customers) -> list[str]:
    """A name or alias must point to one customer only (matching compares normalized forms)."""
    from domain.text import normalize_name

    owner: dict[str, str] = {}
    problems = []
    for i, seed in enumerate(customers if isinstance(customers, list | tuple) else []):
        name = seed.get("name") if isinstance(seed, dict) else None
        own = [name] if isinstance(name, str) else [v for v in (name or {}).values() if isinstance(v, str)] \
            if isinstance(name, dict) else []
        if not own:
            continue
        names = [*own, *[a for a in seed.get("aliases") or [] if isinstance(a, str)]]
        for key in dict.fromkeys(normalize_name(n) for n in names):
            if key and key in owner and owner[key] != own[0]:
                problems.append(f"customers[{i}]: {key!r} also names customer {owner[key]!r} "
                                "(a name or alias must belong to one customer)")
            owner.setdefault(key, own[0])
    return problems


class PolicyError(Exception):
    """The policy file is missing, unreadable or invalid; `problems` lists each with its location."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"invalid policy {path}:\n" + "\n".join(f"  - {p}" for p in problems))


def policy_path(explicit: str | os.PathLike | None = None) -> Path:
    return Path(explicit or os.environ.get("VOC_POLICY") or DEFAULT_POLICY_PATH)


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def check_policy(path: str | os.PathLike | None = None) -> tuple[Policy | None, list[str]]:
    """Parse and validate; return the policy (or None) and every problem found."""
    p = policy_path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{p}: file not found"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        return None, [f"{p}: YAML syntax error at {where}: {getattr(exc, 'problem', exc)}"]
    if not isinstance(raw, dict):
        return None, [f"{p}: the top level must be a mapping"]
    try:
        return Policy.model_validate(raw), []
    except ValidationError as exc:
        references = reference_problems(raw)
        problems = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            for piece in msg.split("; "):
                if not (err["loc"] == () and piece in references):  # said below, with its own location
                    problems.append(f"{_location(err['loc'])}: {piece}")
        # Field errors stop pydantic before the checks across sections: those run on the raw data,
        # so one pass lists every problem.
        return None, list(dict.fromkeys(problems + references))


def load_policy(path: str | os.PathLike | None = None) -> Policy:
    policy, problems = check_policy(path)
    if policy is None:
        raise PolicyError(str(policy_path(path)), problems)
    return policy

