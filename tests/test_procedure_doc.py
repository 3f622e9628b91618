"""docs/procedure.md maps the seeds' clauses to policy keys: every key it names exists in the policy,
so the page cannot drift from the code it describes."""
from __future__ import annotations

import re
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from domain.policy import Policy

DOC = Path(__file__).resolve().parent.parent / "docs" / "procedure.md"
KEY = re.compile(r"`([a-z_0-9]+(?:\[\])?(?:\.(?:<[a-z]+>|[a-z_0-9]+)(?:\[\])?)+)`")


def _inner(annotation):
    """The model, mapping or list a field holds (Optional and tuples unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        found = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(found[0]) if len(found) == 1 else annotation
    return annotation


def resolves(path: str) -> bool:
    node = Policy
    for part in path.split("."):
        is_list = part.endswith("[]")
        part = part.removesuffix("[]")
        node = _inner(node)
        if typing.get_origin(node) is dict:  # any key of a mapping (a department, a severity, a category…)
            node = typing.get_args(node)[1]
            continue
        if not (isinstance(node, type) and issubclass(node, BaseModel)) or part not in node.model_fields:
            return False
        node = _inner(node.model_fields[part].annotation)
        if is_list or typing.get_origin(node) is tuple:
            node = typing.get_args(node)[0] if typing.get_args(node) else node
    return True


def policy_keys() -> list[str]:
    keys = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and cells[0] != "seed clause":
            keys += KEY.findall(cells[1])
    return keys


def test_every_policy_key_the_procedure_page_names_exists():
    keys = policy_keys()
    assert len(keys) >= 30  # the page is read, not skipped
    assert [k for k in keys if not resolves(k)] == []


def test_the_check_refuses_a_key_that_does_not_exist():
    assert resolves("closure.clean_batches") and resolves("customers[].requires_8d")
    assert not resolves("closure.clean_lots_needed") and not resolves("approvals.eight_d.approver")
