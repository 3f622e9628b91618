"""Contract tests: payload shapes as Slack documents them (tests/contract/*.json, each naming its
source), signed and replayed into the bot. They guard what our own emulator might never send:
Enterprise Grid fields, org-wide installs, W… users, subtypes, clicks on ephemeral messages."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from models import Customer
from slack_emulator.slack_side import Sent
from tests.test_flows import FLOOR, SALES, eph

CONTRACTS = sorted((Path(__file__).parent / "contract").glob("*.json"))


def _fill(value, slots: dict):
    if isinstance(value, str):
        for name, slot in slots.items():
            value = value.replace("{" + name + "}", str(slot))
        return value
    if isinstance(value, dict):
        return {k: _fill(v, slots) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, slots) for v in value]
    return value


def _sent(contract: dict, slots: dict) -> Sent:
    body = _fill(contract["body"], slots)
    if contract["encoding"] == "json":
        return Sent(json.dumps(body), "application/json")
    if contract["encoding"] == "payload":
        return Sent(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")
    return Sent(urlencode(body), "application/x-www-form-urlencoded")


@pytest.mark.parametrize("path", CONTRACTS, ids=[p.stem for p in CONTRACTS])
def test_a_documented_payload_is_handled(harness, path):
    h = harness
    contract = json.loads(path.read_text("utf-8"))
    assert contract["_source"].startswith("Slack API docs")
    slots = {"dm_channel": h.ws.dm_channel(SALES), "response_url": h.slack._response_url(FLOOR, SALES)}
    before = 0
    if contract.get("before"):
        h.slack.command(SALES, FLOOR, contract["before"].removeprefix("/feedback "))
        confirm = eph(h, SALES, "VOC-1")
        h.join()
        slots |= {"item_id": h.items()[0].id, "response_url": h.slack._response_url(FLOOR, SALES, confirm)}
        before = 1
    sent = h.slack.post(_sent(contract, slots))
    expect = contract["expect"]
    assert sent.status == expect["status"]
    h.join()
    items = h.items()
    if "filed" in expect:
        [item] = items[before:]
        with h.rt.db.session() as s:
            customer = s.get(Customer, item.customer_id) if item.customer_id else None
        want = expect["filed"]
        assert customer is not None and customer.name == want["customer"]
        for field in ("severity", "lot_numbers", "quantity"):
            if field in want:
                assert getattr(item, field) == want[field]
        if "files" in want:
            assert [f["id"] for f in item.files] == want["files"]
    if expect.get("ignored"):
        assert items[before:] == [] and h.ws.ephemerals_for(SALES) == []
    if expect.get("withdrawn"):
        assert items[0].status == "withdrawn"
    with h.rt.db.session() as s:
        assert not [c for c in s.exec(select(Customer)) if "<" in c.name or "&" in c.name]
