"""The classifier as intake uses it: rules and learned model together (domain/classifier/).

The shipped corpus (domain/classifier/corpus/) was written by people following
../shared/LABELING.md; its test split is never trained or tuned on. The floors below are what the
model measured on that split when it was built (docs/classifier.md): a change that makes it worse
fails here.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from domain.classifier import Classifier, classifier_for
from domain.classifier.corpus import BadExample, parse, shipped
from domain.classifier.evaluation import evaluate
from domain.classifier.model import FIELDS, decide

VOC = str(Path(sys.executable).parent / "voc")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clf(policy) -> Classifier:
    return classifier_for(policy)


@pytest.fixture(scope="module")
def report(clf):
    return evaluate(clf, shipped("test"))


def test_the_corpus_is_large_varied_and_its_splits_apart():
    train, test = shipped("train"), shipped("test")
    assert len(train) >= 1000 and len(test) >= 300
    assert not {e.text for e in train} & {e.text for e in test}
    langs = Counter(e.lang for e in train)
    share = {lang: n / len(train) for lang, n in langs.items()}
    # the blind corpora (issue 18) write ~35 % English, ~28 % simplified, ~15 % traditional, ~22 % mixed, as
    # the plants do: since they joined, English is below 40 % and mixed text above 15 %
    assert 0.35 <= share["en"] <= 0.50 and 0.30 <= share["zh-Hans"] <= 0.40
    assert 0.06 <= share["zh-Hant"] <= 0.14 and 0.10 <= share["mixed"] <= 0.18
    for examples in (train, test):
        assert {e.kind for e in examples} == {"complaint", "inquiry", "suggestion", "praise"}
        assert {e.category for e in examples} == {"quality", "delivery", "technical", "commercial", "service", "other"}
        assert {e.severity for e in examples if e.kind == "complaint"} == {"AA", "A", "B"}


def test_held_out_accuracy_does_not_fall_below_what_was_measured(report):
    acc = report["accuracy"]
    # Issue 18, second round (docs/classifier.md): category 85 -> 90 %, severity 91 -> 94 %, AA recall 95 -> 100 %.
    # Third round: the model alone may grade AA again (blind AA recall 81 -> 99 %), which costs the test
    # split AA precision (93 -> 84 %), and the AA question asked from P(AA) 0.05 auto-filing (85 -> 80 %):
    # the trade docs/classifier.md measures.
    assert acc["kind"] >= 0.96 and acc["category"] >= 0.89 and acc["severity"] >= 0.93
    assert report["auto_file"]["rate"] >= 0.80 and report["auto_file"]["all_right"] >= 0.90
    assert report["aa"]["recall"] >= 0.97 and report["aa"]["precision"] >= 0.82
    assert report["aa"]["filed_lower"] == 0  # no AA message filed at once at a lower level


def test_the_model_does_better_than_the_rules_alone(policy, report):
    rules_only = evaluate(Classifier(policy, None), shipped("test"))
    assert report["accuracy"]["all"] >= rules_only["accuracy"]["all"] + 0.10


def test_confidence_is_calibrated_higher_means_more_often_all_right(clf):
    examples = shipped("test")
    results = clf.classify_many([e.text for e in examples])
    right = [(r.kind, r.category, r.severity) == (e.kind, e.category, e.severity) for r, e in zip(results, examples)]
    ranked = sorted(zip((r.confidence for r in results), right), key=lambda cr: -cr[0])
    top, bottom = ranked[: len(ranked) // 3], ranked[-len(ranked) // 3:]
    assert sum(ok for _, ok in top) / len(top) >= 0.9
    # Relative to the whole split: the surer third is right far more often than the least sure one
    # (an absolute bound fails a classifier that gets the least sure messages right more often).
    overall = sum(right) / len(right)
    assert sum(ok for _, ok in bottom) / len(bottom) <= overall - 0.2


def test_a_hard_rule_wins_over_the_model():
    """The guide is absolute: a complaint with a line stop is AA even when the model says B."""
    probs = {"kind": {"complaint": 0.9, "inquiry": 0.1, "suggestion": 0.0, "praise": 0.0},
             "category": {"quality": 1.0, "delivery": 0, "technical": 0, "commercial": 0, "service": 0, "other": 0},
             "severity": {"AA": 0.1, "A": 0.2, "B": 0.7}}
    hits = {"rule": {"line_stop": ["line stopped"]}}
    d = decide(hits, probs, frozenset({"line_stop"}))
    # The rule rules out A and B: the severity's probability is the model's given that (here 1), so
    # overriding the model does not zero the confidence.
    assert d.labels["severity"] == "AA" and d.forced == ("line_stop",) and d.probability["severity"] == 1.0
    a_floor = decide({"rule": {"functional_defect": ["cracked"]}}, probs, {"functional_defect": "A"})
    assert a_floor.labels["severity"] == "A" and abs(a_floor.probability["severity"] - 0.2 / 0.3) < 1e-9
    assert decide(hits, probs, frozenset()).labels["severity"] == "B"
    inquiry = probs | {"kind": {"complaint": 0.1, "inquiry": 0.9, "suggestion": 0, "praise": 0}}
    assert decide(hits, inquiry, frozenset({"line_stop"})).labels["severity"] == "B"  # only complaints


# ../shared/LABELING.md's worked examples and counter-examples: the guide's own cases, each tier.
GUIDE = [
    ("AA", "Lear Wuhan: seat wiring line will stop tonight at 10 pm, only 300 pcs of PN 5520 left and our truck is stuck."),
    ("AA", "延锋:PN 5520只剩300件,今晚十点就会停线,我们的车还堵在高速上。"),
    ("AA", "Two of our hydraulic fittings burst during their pressure test, an operator was hit on the arm."),
    ("AA", "兩個液壓接頭在客戶打壓測試時爆開,操作員手臂被打到。"),
    ("AA", "Their VP Quality says we go on CS1 from Monday and wants our GM at their plant."),
    ("AA", "客户质量副总说下周一起我们上一级受控发运(CS1),要求我们总经理到现场。"),
    ("A", "3 of 800 housings had cracked bosses, they want sorting of stock in transit and an 8D by Friday."),
    ("A", "800件壳体里有3件螺柱开裂,客户要求挑选在途库存,周五前交8D。"),
    ("A", "Wrong colour caps again on the 9902 kits, second time this month."),
    ("A", "9902套件的盖子颜色又装错了,这个月第二次。"),
    ("A", "Brackets for PO 3318 still not shipped, they say they can cover until Wednesday, nothing stopped."),
    ("A", "PO 3318的支架还没发,客户说能撑到周三,目前没有停产。"),
    ("B", "Small scuff marks on a few brackets, they used them anyway, just asked us to add a separator."),
    ("B", "少数支架有轻微擦痕,客户已照常使用,只是希望加隔板。"),
    ("B", "Our inspection report for DN 55123 came one day late, goods were not held."),
    ("B", "送货单55123的检验报告晚到一天,货没有被扣。"),
    ("B", "Buyer annoyed that our quotation for the new clip took 2 weeks."),
    ("B", "采购对新卡扣报价拖了两周有些不满。"),
    ("B", "No line stop, they have 3 weeks of stock, but the delivery note had the wrong PO"),
    ("B", "感谢上次停线时你们连夜派人来挑选"),
]


@pytest.mark.parametrize("severity, text", GUIDE, ids=[g[1][:30] for g in GUIDE])
def test_the_guides_worked_examples_get_their_tier(clf, severity, text):
    assert clf.classify(text).severity == severity


def test_the_guides_counter_examples_get_their_kind_and_category(clf):
    stock = clf.classify("No line stop, they have 3 weeks of stock, but the delivery note had the wrong PO")
    assert (stock.kind, stock.category) == ("complaint", "delivery")
    assert clf.classify("感谢上次停线时你们连夜派人来挑选").kind == "praise"


def test_every_decision_says_why(clf):
    r = clf.classify("Geely Ningbo: connectors don't fit, their line stopped")
    why = {x.field: x for x in r.reasons}
    assert why["severity"].rule == "line_stop" and why["severity"].label("en") == "customer's line stopped"
    assert set(why) >= {"kind", "category", "severity"}
    text = "the tubing samples look fine, can we get 50 more for the trial build"
    for reason in clf.classify(text).reasons:
        assert reason.evidence or reason.rule == "default"  # words from the message, or a stated default
        assert all(word in text for word in reason.evidence)


def test_a_stated_line_stop_is_aa_and_a_stated_no_removes_it(clf):
    text = "Geely: connectors cracked, 20 pcs"
    assert clf.classify(text, line_stopped=True).severity == "AA"
    said_no = clf.classify("Geely: connectors cracked, their line stopped", line_stopped=False)
    assert "line_stop" not in {x.rule for x in said_no.reasons}


def test_a_batch_gives_the_same_answers_as_one_by_one(clf):
    texts = [e.text for e in shipped("test")[:40]]
    assert [r.as_dict() for r in clf.classify_many(texts)] == [clf.classify(t).as_dict() for t in texts]


def test_a_bad_example_line_is_named():
    with pytest.raises(BadExample, match="line 3: severity must be one of AA, A, B"):
        parse(json.dumps({"text": "x", "kind": "complaint", "category": "quality", "severity": "C"}), "f.jsonl line 3")


def run(*args, stdin=""):
    return subprocess.run([VOC, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_voc_classifier_eval_prints_fields_languages_confusion_and_auto_file(tmp_path):
    rows = [{"text": "their line stopped, connectors cracked", "kind": "complaint", "category": "quality",
             "severity": "AA", "lang": "en"},
            {"text": "請問報價什麼時候能出？", "kind": "inquiry", "category": "commercial", "severity": "B", "lang": "zh-Hant"},
            {"text": "謝謝你們上週加班出貨", "kind": "praise", "category": "delivery", "severity": "A", "lang": "zh-Hant"}]
    f = tmp_path / "set.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    proc = run("classifier", "eval", str(f), "--baseline", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["n"] == 3 and out["accuracy"]["severity"] == pytest.approx(2 / 3, abs=1e-3)
    assert out["by_language"]["zh-Hant"]["n"] == 2 and out["confusion"]["severity"]["A"] == {"B": 1}
    text = run("classifier", "eval", str(f), "--baseline").stdout
    assert "auto-file" in text and "zh-Hant" in text and "true (rows) x predicted (columns)" in text
    f.write_text('{"text": "x", "kind": "rant", "category": "quality", "severity": "A"}\n', encoding="utf-8")
    bad = run("classifier", "eval", str(f))
    assert bad.returncode == 2 and "set.jsonl line 1: kind must be one of" in bad.stderr


def test_a_stated_line_stop_makes_any_message_an_aa_complaint(clf):
    """The reporter says the customer's line is stopped (the form's box, the DM's answer): that is a
    complaint, AA, whatever the words alone would be."""
    words = clf.classify("When will the replacement brackets ship? Customer asks.")
    assert (words.kind, words.severity) == ("inquiry", "B")
    stated = clf.classify("When will the replacement brackets ship? Customer asks.", line_stopped=True)
    assert (stated.kind, stated.severity) == ("complaint", "AA")


def _doc_table(header: str) -> list[list[str]]:
    """The rows of the table in docs/classifier.md whose header row starts with `header`."""
    lines = (ROOT / "docs" / "classifier.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            return rows
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _percent(value: float) -> str:
    return f"{value:.1%}".replace("%", " %")


def test_the_figures_in_docs_classifier_are_what_voc_classifier_eval_prints(report):
    """docs/classifier.md's per-language and threshold tables come from `voc classifier eval --baseline`."""
    by_language = [[lang, str(row["n"]), *(_percent(row[f]) for f in FIELDS), _percent(row["all"]),
                    _percent(row["aa_recall"])] for lang, row in report["by_language"].items()]
    assert _doc_table("| language | n |") == by_language
    thresholds = [[t, _percent(row["rate"]), _percent(row["all_right"])]
                  for t, row in report["thresholds"].items()]
    assert _doc_table("| `confidence_threshold` | files at once |") == thresholds


def test_the_readme_states_the_corpus_and_accuracy_eval_measures(report):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"\(([\d,]+) training messages; (\d+) % kind, (\d+) % category, (\d+) % severity on the "
                     r"(\d+)-message test split", readme)
    assert said, "README's classifier figures are gone or reworded: keep them in step with `voc classifier eval`"
    training, kind, category, severity, n = (int(g.replace(",", "")) for g in said.groups())
    assert training == len(shipped("train")) and n == report["n"]
    assert (kind, category, severity) == tuple(round(report["accuracy"][f] * 100) for f in ("kind", "category", "severity"))
