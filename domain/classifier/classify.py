"""The classifier as intake uses it: the policy's rules and the learned model together.

The rules find the words (with negation, near misses and stated facts) and say why; the model,
which sees those hits as features, weighs them against everything else in the text; the guide's
absolute rules (a line stop, a safety risk, a recall: never below AA) have the last word. The
confidence is calibrated: the probability that kind, category and severity are all right.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from domain.classifier.model import FIELDS, Decision, Model, decide
from domain.classifier.rules import Analysis, Reason, Result, Rules
from domain.policy import Policy

_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*|[\u3400-\u9fff]+")
_PUNCT = re.compile(r"[\s,.;:!?，。；：！？、()（）\"']+")
EVIDENCE_WORDS = 3
# Words that carry a model's weight but explain nothing to a reader.
_STOP = frozenset("a an the and or but for to of in on at by with from as is are was were be been it its they them their "
                  "we our us you your he she his her this that these those can could will would should may might want "
                  "wants need needs do does did have has had not no yes please also just very so all any some".split())


class Classifier:
    """Compiled from one policy and one model (None: the rules alone); pure and thread-safe."""

    def __init__(self, policy: Policy, model: Model | None = None, model_id: int | None = None):
        self.policy, self.model, self.model_id = policy, model, model_id
        self.rules = Rules(policy)
        self.hard = {r.id: r.severity for r in policy.classification.severity_rules if r.hard}
        self.aa_rules = frozenset(r.id for r in policy.classification.severity_rules if r.severity == "AA")
        self._ngrams = model.chars.get_feature_names_out() if model is not None else ()
        self.costs = policy.classification.severity_costs.model_dump()

    def sure(self, result: Result, threshold: float | None = None) -> bool:
        """Sure enough to file at once (when a customer is named); otherwise the bot proposes and asks.
        `threshold` replaces the policy's `confidence_threshold` (what `voc classifier eval` compares).
        An AA the model graded with no word of the AA list is never sure: it is proposed (and an
        unconfirmed AA is filed after a while anyway), so a terse "lot 22" is not filed at once as AA
        on n-grams alone."""
        if self.model_alone_aa(result):
            return False
        return result.confidence >= (self.policy.classification.confidence_threshold if threshold is None else threshold)

    def model_alone_aa(self, result: Result) -> bool:
        return result.severity == "AA" and all(r.rule == "model" for r in result.reasons if r.field == "severity")

    def asks_aa(self, result: Result) -> bool:
        """AA is plausible but not what the bot decided: the reporter is asked (line stop? safety or
        recall? neither) before anything is filed, never filed lower in silence."""
        return (result.kind == "complaint" and result.severity != "AA"
                and result.aa_probability >= self.policy.classification.aa_question_probability)

    def says_anything(self, text: str) -> bool:
        """Whether the message has one word the policy's vocabulary knows (kind, category, severity,
        supplier). The model always leans somewhere, so its words cannot tell "hello there" from feedback."""
        return any(r.evidence for r in self.rules.classify(text).reasons)

    def classify(self, text: str, *, line_stopped: bool | None = None) -> Result:
        return self.classify_many([text], line_stopped=line_stopped)[0]

    def classify_many(self, texts: Sequence[str], *, line_stopped: bool | None = None) -> list[Result]:
        analyses = [self.rules.analyse(t, line_stopped=line_stopped) for t in texts]
        if self.model is None or not analyses:
            return [a.result for a in analyses]
        norms, hits = [a.norm for a in analyses], [a.hits for a in analyses]
        x = self.model.matrix(norms, hits)
        probs = self.model.probabilities(x)
        gate = self.policy.classification.aa_model_probability
        decisions = [decide(a.hits, p, self.hard, line_stopped, self.aa_rules, self.costs, gate) for a, p in zip(analyses, probs)]
        confidences = self.model.confidence(d.joint for d in decisions)
        # A row of the CSR matrix as (data, column indices), sliced directly: scipy's row indexing
        # costs more than the whole model.
        rows = [(x.data[x.indptr[i]:x.indptr[i + 1]], x.indices[x.indptr[i]:x.indptr[i + 1]]) for i in range(len(analyses))]
        return [self._result(a, d, c, row, p["severity"]["AA"])
                for a, d, c, row, p in zip(analyses, decisions, confidences, rows, probs)]

    def _result(self, a: Analysis, d: Decision, confidence: float, row, aa_probability: float) -> Result:
        kind, category, severity = (d.labels[f] for f in FIELDS)
        hits = a.hits
        reasons = []
        kind_words = hits["kind"].get(kind, []) + ([w for ws in hits["rule"].values() for w in ws] if kind == "complaint" else [])
        reasons.append(self._reason("kind", kind, kind_words, row, a.norm))
        reasons.append(self._reason("category", category, hits["category"].get(category, []), row, a.norm))
        tier = [r for r in self.policy.classification.severity_rules
                if r.id in hits["rule"] and (r.id in d.forced or (kind == "complaint" and r.severity == severity))]
        if tier:
            reasons += [Reason("severity", severity, r.id, tuple(hits["rule"][r.id]), r.label.en, r.label.zh) for r in tier]
        elif kind != "complaint" and severity == "B":
            reasons.append(Reason("severity", "B", "default", (), "not a complaint", "非投诉"))
        elif severity == "B":  # a complaint with nothing that lifts it: say so, not which n-grams leaned to B
            reasons.append(Reason("severity", "B", "default", (), "no severity trigger", "无升级条件"))
        else:
            reasons.append(self._reason("severity", severity, [], row, a.norm))
        department = self.policy.department_for(category)
        sup = self.policy.classification.supplier_department
        also: tuple[str, ...] = ()
        if hits["supplier"] and sup and sup != department and kind == "complaint":
            also = (sup,)
            reasons.append(Reason("also_departments", sup, "supplier", tuple(hits["supplier"]["supplier"])))
        return Result(kind, category, severity, department, also, round(confidence, 2), tuple(reasons), a.result.extracted,
                      round(aa_probability, 3))

    def _reason(self, field: str, value: str, words: list[str], row, norm: str) -> Reason:
        if words:
            return Reason(field, value, "keywords", tuple(words))
        return Reason(field, value, "model", self._telling_words(field, value, row, norm))

    def _telling_words(self, field: str, value: str, row, norm: str) -> tuple[str, ...]:
        """The words of the message that pushed the model most towards `value`: the n-grams with the
        largest positive contribution, each widened to the word it sits in."""
        start, end, classes = self.model.spans[field]
        data, indices = row
        if value not in classes or not len(data):
            return ()
        at = classes.index(value)
        # One-vs-rest: one binary model per label; with two labels a single one, for the second.
        coef = self.model.weights[:, start + at] if end - start > 1 else self.model.weights[:, start] * (1 if at else -1)
        contrib = data * coef[indices]
        names = self._ngrams
        words: list[str] = []
        for j in np.argsort(-contrib):
            if contrib[j] <= 0 or len(words) >= EVIDENCE_WORDS:
                break
            col = indices[j]
            if col >= len(names):
                continue  # a rule hit: the rules' reasons already name those words
            gram = _PUNCT.sub("", names[col])
            if len(gram) < 2:
                continue
            word = next((m.group() for m in _WORD.finditer(norm) if gram in m.group()), gram)
            if len(word) > 12 and not word.isascii():
                word = gram
            if word in _STOP or (word.isascii() and len(word) < 3 and not any(ch.isdigit() for ch in word)):
                continue
            # "天客" and "天客户" are one piece of evidence: keep the first, skip what overlaps it
            if not any(word in w or w in word for w in words):
                words.append(word)
        return tuple(words)
