"""The shipped corpus's splits: training never sees a message of the test or the held-out split
(the held-out one was written and labelled blind, issue 18), and every split has every language."""
from __future__ import annotations

from domain.classifier.corpus import LANGS, shipped


def test_no_held_out_or_test_message_is_in_training():
    train = {e.text.strip() for e in shipped("train")}
    for split in ("heldout", "heldout2", "test"):
        held = {e.text.strip() for e in shipped(split)}
        assert held and not held & train, split
    assert not {e.text for e in shipped("heldout")} & {e.text for e in shipped("test")}
    assert not {e.text for e in shipped("heldout2")} & ({e.text for e in shipped("heldout")} | {e.text for e in shipped("test")})


def test_the_held_out_split_has_every_language_and_severity():
    for split in ("heldout", "heldout2"):
        held = shipped(split)
        assert {e.lang for e in held} == set(LANGS), split
        assert {e.severity for e in held} == {"AA", "A", "B"}, split
