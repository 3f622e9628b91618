"""The rules half of the classifier: kind, category, severity, department from the policy's
vocabulary (docs/classifier.md).

Transparent on purpose: every decision carries the keywords that caused it, so the bot can say
"AA because: customer's line stopped". All vocabulary comes from the policy. Each keyword's
pattern is searched only where its literal occurs, which keeps it at thousands of messages per
second. One negation scope serves every decision; stated facts (a line stop the reporter
confirmed or denied) beat the words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.extraction import Extracted, extract
from domain.policy import CATEGORIES, Policy
from domain.text import normalize

# How much of a very long message is classified; the whole text is still stored.
CLASSIFY_CHARS = 4000
_ENDINGS = r"(?:s|es|ed|d|ing|ped|ping|ted|ting|ged|ging)?"
_CLAUSE_BREAK = re.compile(r"[,.;!?，。；！？\n]")
_SENTENCE_BREAK = re.compile(r"[.;!?。；！？\n]")
# A supply threat whose own words name the whole part or business is a threat to all of it.
_WHOLE = ("whole", "entire", "all ", "整个", "全部")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")  # Slack's :fire: is decoration, not a safety report
_PRIORITY = {c: i for i, c in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class Reason:
    field: str
    value: str
    rule: str
    evidence: tuple[str, ...]
    label_en: str = ""
    label_zh: str = ""

    def as_dict(self) -> dict:
        return {"field": self.field, "value": self.value, "rule": self.rule, "evidence": list(self.evidence)}

    def label(self, lang: str) -> str:
        return (self.label_zh if lang == "zh" else self.label_en) or ", ".join(self.evidence)


@dataclass(frozen=True)
class Result:
    kind: str
    category: str
    severity: str
    department: str
    also_departments: tuple[str, ...]
    confidence: float
    reasons: tuple[Reason, ...]
    extracted: Extracted = field(default_factory=Extracted)
    aa_probability: float = 0.0  # the model's probability that the problem is AA (whatever was decided)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "category": self.category,
            "severity": self.severity,
            "department": self.department,
            "also_departments": list(self.also_departments),
            "confidence": self.confidence,
            "reasons": [r.as_dict() for r in self.reasons],
            "aa_probability": self.aa_probability,
            **self.extracted.as_dict(),
        }


# What a negated kind word counts for (a negated suggestion or question counts for nothing).
_OPPOSITE = {"complaint": "praise", "praise": "complaint"}
_GAP = r"[^,.;!?，。；！？\n]{0,20}?"  # "line…stop": both parts within 20 characters of one clause


def _pattern(keyword: str) -> str:
    if "…" in keyword:
        return _GAP.join(_pattern(part) for part in keyword.split("…"))
    kw = keyword.strip().lower()
    prefix = kw.endswith("*")
    kw = kw.rstrip("*")
    body = re.escape(kw)
    if not kw.isascii():
        return body
    start = r"(?<![a-z0-9])" if re.match(r"\w", kw) else ""
    if not re.search(r"\w$", kw):
        return start + body
    return start + body + (r"[a-z0-9]*" if prefix else _ENDINGS + r"(?![a-z0-9])")


def _weight(keyword: str) -> float:
    kw = keyword.strip("*").strip()
    if kw.isascii():
        return float(max(1, len(kw.split())))
    return max(0.5, len(kw) / 2)


@dataclass(frozen=True)
class Analysis:
    """What the rules saw in one message: its matching form, every keyword hit by group and member
    (after negation and near misses), and the rules' own decision."""
    norm: str
    hits: dict[str, dict[str, list[str]]]
    result: "Result"


class Rules:
    """Compiled from one policy; `classify(text)` is pure and thread-safe."""

    def __init__(self, policy: Policy):
        self.policy = policy
        cls = policy.classification
        owners: dict[str, list[tuple[str, str, str, bool]]] = {}  # pattern -> [(group, member, keyword, spans)]
        literals: dict[str, str] = {}

        def add(group: str, member: str, keywords) -> None:
            for kw in keywords:
                pattern = _pattern(kw)
                literals[pattern] = kw.strip().lower().split("…")[0].rstrip("*")
                owners.setdefault(pattern, []).append((group, member, kw.strip("*").strip(), "…" in kw))

        for kind, kws in cls.kinds.items():
            add("kind", kind, kws)
        for category, kws in cls.categories.items():
            add("category", category, kws)
        for rule in cls.severity_rules:
            add("rule", rule.id, rule.keywords)
        add("supplier", "supplier", cls.supplier_keywords)
        # Each distinct pattern is searched only when its literal occurs in the text
        # (a C-speed `in` test), which keeps a message well under a millisecond.
        self._entries = [(literals[p], re.compile(p), members) for p, members in owners.items()]
        self._rules = {r.id: r for r in cls.severity_rules}
        self._neg_words = {n.lower() for n in cls.negations if n.isascii() and n.isalpha()}
        self._neg_suffixes = tuple(n.lower() for n in cls.negations if n.isascii() and not n.isalpha())
        self._neg_zh = tuple(n for n in cls.negations if not n.isascii())
        self._hedges = tuple(h.lower() for h in cls.hedges)
        self._conditionals = re.compile("|".join(rf"(?<![a-z]){re.escape(c.lower())}(?![a-z])" if c.isascii() else re.escape(c)
                                                 for c in cls.conditionals)) if cls.conditionals else None
        self._history = tuple(h.lower() for h in cls.history)
        self._partial = re.compile("|".join(_pattern(w) for w in cls.partial)) if cls.partial else None
        self._partial_rule = cls.partial_rule if cls.partial_rule in {r.id for r in cls.severity_rules} else None
        self._usable = re.compile("|".join(_pattern(w) for w in cls.usable)) if cls.usable else None
        self._usable_rule = cls.usable_rule if cls.usable_rule in {r.id for r in cls.severity_rules} else None
        self._later = re.compile("|".join(_pattern(w) for w in cls.later)) if cls.later else None
        self._causes = re.compile("|".join(rf"(?<![a-z]){re.escape(c.lower())}(?![a-z])" if c.isascii() else re.escape(c)
                                           for c in cls.causes)) if cls.causes else None
        self._not_ours = re.compile("|".join(_pattern(w) for w in cls.not_ours)) if cls.not_ours else None
        self._aa_rules = frozenset(r.id for r in cls.severity_rules if r.severity == "AA" and not r.feature_only)
        self._future = re.compile("|".join(rf"(?<![a-z]){re.escape(f)}(?![a-z])" if f.isascii() else re.escape(f)
                                           for f in cls.future)) if cls.future else None
        rate = cls.reject_rate
        self._rate_rule = rate.rule if rate.rule in {r.id for r in cls.severity_rules} and rate.words else None
        self._rate_percent = rate.percent
        self._rate_words = re.compile("|".join(_pattern(w) for w in rate.words)) if rate.words else None
        self._not_signals = re.compile("|".join(re.escape(p.lower()) for p in sorted(cls.not_signals, key=len, reverse=True))) \
            if cls.not_signals else None

    def _hedged(self, norm: str, start: int, end: int) -> bool:
        """"almost stopped", "差点停线": a near miss is not the trigger (the hedge just before it or inside it)."""
        window = _CLAUSE_BREAK.split(norm[max(0, start - 24): start])[-1] + norm[start:end]
        return any(h in window for h in self._hedges)

    def _past(self, norm: str, start: int, end: int) -> bool:
        """"last year's recall", "去年的召回": history, not today's problem (the marker in the trigger's clause)."""
        before = _CLAUSE_BREAK.split(norm[max(0, start - 24): start])[-1]
        after = _CLAUSE_BREAK.split(norm[end: end + 16])[0]
        return any(h in before or h in after for h in self._history)

    def _negated(self, norm: str, start: int) -> bool:
        before = _CLAUSE_BREAK.split(norm[max(0, start - 24): start])[-1]
        # "if the parts don't arrive, their line stops", "要是货没到夜班就停": the negation is the condition's.
        if self._conditionals is not None and self._conditionals.search(_CLAUSE_BREAK.split(norm[max(0, start - 80): start])[-1]):
            return False
        # "停线了，因为我们的货没按时到" / "their line stopped because the truck didn't arrive": in a stated
        # cause only a negation right before the trigger is the trigger's ("因为…线没停" still is)
        def in_cause() -> bool:  # asked only when a negation is there (most triggers have none)
            return self._causes is not None and bool(self._causes.search(_CLAUSE_BREAK.split(norm[max(0, start - 80): start])[-1]))
        if any(neg in before[-4:] for neg in self._neg_zh) and (any(neg in before[-2:] for neg in self._neg_zh) or not in_cause()):
            return True
        words = re.findall(r"[a-z']+", before)[-3:]
        negations = [i for i, w in enumerate(words) if w in self._neg_words or w.endswith(self._neg_suffixes)]
        return bool(negations) and (negations[-1] == len(words) - 1 or not in_cause())

    def _future_stop(self, norm: str, rule_hits: dict[str, list[str]]) -> None:
        """"their line will stop", "就要停线": a stop still to come is the imminent-stop rule's, so the
        record never says the line stopped."""
        if "line_stop" not in rule_hits or "imminent_stop" not in self._rules or not self._future:
            return
        stopped, coming = [], []
        for words in rule_hits["line_stop"]:
            at = norm.find(words)
            before = _CLAUSE_BREAK.split(norm[max(0, at - 16): at])[-1] if at >= 0 else ""
            # "if the truck is late, the line stops": a stop that depends on a condition has not happened
            sentence = _SENTENCE_BREAK.split(norm[max(0, at - 80): at])[-1] if at >= 0 else ""
            conditional = self._conditionals is not None and bool(self._conditionals.search(sentence))
            (coming if conditional or self._future.search(before + " " + words) else stopped).append(words)
        if coming:
            rule_hits.setdefault("imminent_stop", []).extend(coming)
            if stopped:
                rule_hits["line_stop"] = stopped
            else:
                del rule_hits["line_stop"]

    def _partial_threat(self, norm: str, hits: dict[str, dict[str, list[str]]]) -> None:
        """"move 30 % of the volume to the second source", 一半份额转给二供: losing part of the business
        is a commercial threat (A); losing all of it is AA (LABELING.md). Decided per sentence."""
        if self._partial is None or self._partial_rule is None or "supply_threat" not in hits["rule"]:
            return
        whole, part = [], []
        for words in hits["rule"]["supply_threat"]:
            at = norm.find(words)
            sentence = _SENTENCE_BREAK.split(norm[max(0, at - 80): at])[-1] + words + _SENTENCE_BREAK.split(norm[at + len(words):])[0]
            percents = [float(m.group(1)) for m in self._PERCENT.finditer(sentence)]
            # a threat that names the whole ("整个…move", "move the whole part") is whole, whatever
            # percentage (a price cut of 5 %) the sentence also names
            names_whole = any(w in words for w in _WHOLE)
            (part if not names_whole and (self._partial.search(sentence) or any(p < 100 for p in percents)) else whole).append(words)
        if part:
            hits["rule"].setdefault(self._partial_rule, []).extend(part)
            hits["off"].setdefault("supply_threat", []).extend(part)
            if whole:
                hits["rule"]["supply_threat"] = whole
            else:
                del hits["rule"]["supply_threat"]

    def _not_ours_triggers(self, norm: str, hits: dict[str, dict[str, list[str]]]) -> None:
        """"their own robot failed, not our parts": a trigger said in the same sentence as a cause that is
        not ours is a near miss. Only there: "5 parts caught fire. Not your fault the line stopped, that was
        their own equipment" keeps the fire."""
        excused = [s for s in _SENTENCE_BREAK.split(norm) if self._not_ours.search(s)]
        if not excused:
            return
        elsewhere = _SENTENCE_BREAK.split(norm)
        for rule in self._aa_rules & set(hits["rule"]):
            kept = [word for word in hits["rule"][rule]
                    if any(word in s for s in elsewhere if not self._not_ours.search(s)) or not any(word in s for s in excused)]
            moved = [word for word in hits["rule"][rule] if word not in kept]
            if moved:
                hits["off"].setdefault(rule, []).extend(moved)
                if kept:
                    hits["rule"][rule] = kept
                else:
                    hits["rule"].pop(rule)

    def _usable_parts(self, norm: str, hits: dict[str, dict[str, list[str]]]) -> None:
        """"small burrs, they used them anyway", 客户已照常使用: parts the customer could use are a minor
        defect (LABELING.md's B), so the defect words are a near miss, not the hard A floor. A stated
        usable part is not negated ("couldn't use them" is no concession)."""
        if self._usable is None or self._usable_rule not in hits["rule"]:
            return
        if any(not self._negated(norm, m.start()) for m in self._usable.finditer(norm)):
            hits["off"].setdefault(self._usable_rule, []).extend(hits["rule"].pop(self._usable_rule))

    _PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
    _OF = re.compile(r"(?<![\d.])(\d+)\s*(?:pcs\s+|parts\s+|pieces\s+|units\s+)?(?:of|out of)\s+(?:the\s+)?(\d+)(?![\d.%])")
    _ZH_OF = re.compile(r"(\d+)\s*[件个只片支条pcs]*\s*(?:中|里|里面|当中)(?:有|就有)?\s*(\d+)")
    _IN = re.compile(r"(?<![\d.])(\d+)\s+(?:in|out of every|of every|in every)\s+(\d+)(?![\d.%])")  # "1 in 4", "2 of every 10"
    _ZH_TENTHS = re.compile(r"([一二两三四五六七八九])成")  # 三成 = 30 %
    _ZH_PERCENT = re.compile(r"百分之([一二两三四五六七八九十百]+|\d+(?:\.\d+)?)")
    _ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}

    @classmethod
    def _zh_number(cls, text: str) -> float:
        """百分之二十五 → 25; digits as they are (small numbers only: a rate)."""
        if text[0].isdigit():
            return float(text)
        if text == "百":
            return 100.0
        tens, _, ones = text.partition("十")
        if "十" not in text:
            return float(cls._ZH_DIGITS.get(text, 0))
        return float((cls._ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (cls._ZH_DIGITS.get(ones, 0) if ones else 0))

    def _reject_rate(self, norm: str) -> list[str]:
        """A stated defect rate at or above the policy's threshold ("30 % rejected", "120 of 400
        failed", "400件中120件不良"), in a clause that names what is bad and does not deny it."""
        if self._rate_words is None:
            return []
        found = []
        for clause in _CLAUSE_BREAK.split(norm):
            if not self._rate_words.search(clause):
                continue
            rates = [(float(m.group(1)), m.group()) for m in self._PERCENT.finditer(clause)]
            rates += [(100 * int(m.group(1)) / int(m.group(2)), m.group()) for m in self._OF.finditer(clause)
                      if 0 < int(m.group(1)) <= int(m.group(2))]
            rates += [(100 * int(m.group(2)) / int(m.group(1)), m.group()) for m in self._ZH_OF.finditer(clause)
                      if 0 < int(m.group(2)) <= int(m.group(1))]
            rates += [(100 * int(m.group(1)) / int(m.group(2)), m.group()) for m in self._IN.finditer(clause)
                      if 0 < int(m.group(1)) <= int(m.group(2))]
            rates += [(10.0 * self._ZH_DIGITS[m.group(1)], m.group()) for m in self._ZH_TENTHS.finditer(clause)]
            rates += [(self._zh_number(m.group(1)), m.group()) for m in self._ZH_PERCENT.finditer(clause)]
            found += [words for rate, words in rates
                      if self._rate_percent <= rate <= 100 and not self._negated(clause, clause.index(words))]
        return found

    def _negated_inside(self, span: str) -> bool:
        """"线没有停": a negation between the two parts of a "…" keyword cancels it too."""
        if any(neg in span for neg in self._neg_zh):
            return True
        return any(w in self._neg_words or w.endswith(self._neg_suffixes) for w in re.findall(r"[a-z']+", span))

    def _scan(self, norm: str) -> dict[str, dict[str, list[str]]]:
        # "off": a trigger the text names but denies, hedges or tells as history ("not stopped",
        # 差点停线, "last year's recall"). No trigger; a feature, so the model learns that the words
        # of a near miss are not the trigger's.
        hits: dict[str, dict[str, list[str]]] = {"kind": {}, "category": {}, "rule": {}, "supplier": {}, "off": {}}
        found = [
            (m.start(), m.end(), group, member, spans)
            for literal, regex, members in self._entries
            if literal in norm
            for m in regex.finditer(norm)
            for group, member, _kw, spans in members
        ]
        # Within a group, a match inside a longer one does not count ("late report" is not also "late").
        found.sort(key=lambda f: (f[2], f[0], -f[1]))
        reach: dict[str, tuple[int, int]] = {}  # group -> span of the longest match so far
        negated: dict[int, bool] = {}
        counted: set[tuple[str, str, int]] = set()
        for start, end, group, member, spans in found:
            widest = reach.get(group, (-1, -1))
            if end <= widest[1] and (start, end) != widest or (group, member, start) in counted:
                continue
            counted.add((group, member, start))
            if end > widest[1]:
                reach[group] = (start, end)
            # One negation scope for every decision. A negated trigger ("not stopped") or a near miss
            # ("almost stopped") is no trigger. A negated feeling counts for the other side: "not happy"
            # is dissatisfaction, "no issues at all" contentment; a negated suggestion or question is
            # neither. A topic stays a topic ("还没有交货" — not delivered yet — is about delivery).
            if group in ("rule", "kind"):
                if start not in negated:
                    negated[start] = self._negated(norm, start) or bool(spans and self._negated_inside(norm[start:end]))
                if group == "rule" and (negated[start] or self._hedged(norm, start, end) or self._past(norm, start, end)):
                    hits["off"].setdefault(member, []).append(norm[start:end])
                    continue
                if group == "kind" and negated[start]:
                    member = _OPPOSITE.get(member)
                    if member is None:
                        continue
            hits[group].setdefault(member, []).append(norm[start:end])  # the words as written
        return hits

    def classify(self, text: str, *, line_stopped: bool | None = None) -> Result:
        return self.analyse(text, line_stopped=line_stopped).result

    def analyse(self, text: str, *, line_stopped: bool | None = None) -> Analysis:
        """`line_stopped` is what the reporter stated ("was the customer's line stopped?"): a stated
        fact beats the words, both ways."""
        norm = normalize(_EMOJI_CODE.sub(" ", text[:CLASSIFY_CHARS]))
        if self._not_signals is not None:  # "safety stock" is not a safety risk
            norm = self._not_signals.sub(lambda m: " " * len(m.group()), norm)
        hits = self._scan(norm)
        self._future_stop(norm, hits["rule"])
        # "今天" (today) is within a shift, not the days of "撑…天" / "够…天"
        if self._later is not None and "imminent_stop" in hits["rule"] and self._later.search(norm.replace("今天", "今日")):
            # days of stock: stock at risk (A), not a stop within a shift
            hits["off"].setdefault("imminent_stop", []).extend(hits["rule"].pop("imminent_stop"))
        self._partial_threat(norm, hits)
        self._usable_parts(norm, hits)
        if self._rate_rule and (rates := self._reject_rate(norm)):
            hits["rule"].setdefault(self._rate_rule, []).extend(rates)
        if self._not_ours is not None and self._aa_rules & set(hits["rule"]):
            self._not_ours_triggers(norm, hits)
        if line_stopped is False:
            hits["rule"].pop("line_stop", None)
        elif line_stopped and "line_stop" in self._rules:
            hits["rule"].setdefault("line_stop", ["(stated by the reporter)"])
        reasons: list[Reason] = []

        triggered = [self._rules[r] for r in hits["rule"] if not self._rules[r].feature_only]
        # Only a critical trigger makes a message a complaint by itself; "urgent" or "again" may be a request.
        kind, kind_conf, kind_evidence = self._kind(norm, hits, any(r.severity == "AA" for r in triggered))
        reasons.append(Reason("kind", kind, "keywords" if kind_evidence else "default", tuple(kind_evidence)))

        category, cat_conf, cat_evidence = self._category(hits["category"])
        reasons.append(Reason("category", category, "keywords" if cat_evidence else "default", tuple(cat_evidence)))

        severity = "B"
        if kind == "complaint" and triggered:
            severity = "AA" if any(r.severity == "AA" for r in triggered) else "A"
            for rule in triggered:
                if rule.severity == severity:
                    reasons.append(Reason("severity", severity, rule.id, tuple(hits["rule"][rule.id]),
                                          rule.label.en, rule.label.zh))
        else:
            why = "no severity trigger" if kind == "complaint" else "not a complaint"
            reasons.append(Reason("severity", "B", "default", (), why, "无升级条件" if kind == "complaint" else "非投诉"))

        department = self.policy.department_for(category)
        also: tuple[str, ...] = ()
        sup = self.policy.classification.supplier_department
        if hits["supplier"] and sup and sup != department and kind == "complaint":
            also = (sup,)
            reasons.append(Reason("also_departments", sup, "supplier", tuple(hits["supplier"]["supplier"])))

        confidence = round(min(kind_conf, cat_conf), 2)
        extracted = extract(text[:CLASSIFY_CHARS], line_stopped="line_stop" in hits["rule"])
        return Analysis(norm, hits, Result(kind, category, severity, department, also, confidence, tuple(reasons), extracted))

    @staticmethod
    def _kind(norm: str, hits, triggered: bool) -> tuple[str, float, list[str]]:
        k = hits["kind"]
        scores = {kind: sum(_weight(w) for w in k.get(kind, [])) for kind in ("complaint", "suggestion", "inquiry", "praise")}
        if triggered:
            scores["complaint"] += 2
        if scores["complaint"] > 0:
            # Any dissatisfaction makes it a complaint (DOMAIN: "whether or not the customer asks for an answer").
            rivals = max(scores["suggestion"], scores["inquiry"], scores["praise"])
            strength = scores["complaint"]
            conf = 0.95 if strength >= 2 else 0.8
            if rivals >= strength:
                conf -= 0.25
            return "complaint", conf, k.get("complaint", []) + [w for ws in hits["rule"].values() for w in ws]
        others = sorted(((s, kind) for kind, s in scores.items() if kind != "complaint" and s > 0), reverse=True)
        if not others:
            return "complaint", 0.3, []
        top_score, top = others[0]
        conf = 0.9 if top_score >= 2 else 0.75
        if len(others) > 1 and others[1][0] >= top_score:
            # "Thanks — when will the next lot ship?": a question with courtesy is an inquiry.
            if "inquiry" in (top, others[1][1]) and "praise" in (top, others[1][1]):
                return "inquiry", 0.7, k.get("inquiry", [])
            conf = 0.5
        return top, conf, k.get(top, [])

    @staticmethod
    def _category(cat_hits: dict[str, list[str]]) -> tuple[str, float, list[str]]:
        if not cat_hits:
            return "other", 0.45, []
        ranked = sorted(
            ((sum(_weight(w) for w in kws), c) for c, kws in cat_hits.items()),
            key=lambda sc: (-sc[0], _PRIORITY[sc[1]]),
        )
        (best, category), rest = ranked[0], ranked[1:]
        runner = rest[0][0] if rest else 0.0
        if runner == 0:
            conf = 0.9 if best >= 1.5 else 0.8
        elif best - runner >= 1:
            conf = 0.75
        elif best > runner:
            conf = 0.65
        else:
            conf = 0.5
        return category, conf, cat_hits[category]
