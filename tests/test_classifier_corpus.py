"""The shipped corpus's splits: training never sees a message of the test or the held-out split
(the held-out one was written and labelled blind, issue 18), and every split has every language."""
from __future__ import annotations

from domain.classifier.corpus import LANGS, shipped


def test_no_held_out_or_test_message_is_in_training():
    train = {e.text.strip() for e in shipped("train")}
    for split in ("heldout3", "test"):
        held = {e.text.strip() for e in shipped(split)}
        assert held and not held & train, split
    assert not {e.text.strip() for e in shipped("heldout3")} & {e.text.strip() for e in shipped("test")}


def test_the_held_out_split_has_every_language_and_severity():
    held = shipped("heldout3")
    assert {e.lang for e in held} == set(LANGS)
    assert {e.severity for e in held} == {"AA", "A", "B"}
    assert sum(e.severity == "AA" for e in held) >= 30  # AA recall is measured on enough AA messages
