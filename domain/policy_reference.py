"""docs/policy-reference.md, written from the policy's pydantic models (`voc policy reference`).

The models in domain/policy.py are the source of truth: each key's type and default come from its
annotation and default, its meaning from `Field(description=...)` (a section's from its model's
docstring). tests/test_policy_reference.py regenerates the file and fails when it has drifted.
"""
from __future__ import annotations

import inspect
import types
import typing
from datetime import date, time
from decimal import Decimal

import yaml
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from domain.policy import Policy

HEADER = """# Policy reference

Every key of the policy file (`VOC_POLICY`, else `domain/default_policy.yaml`), with its type,
default and meaning. **Generated** from the pydantic models in `domain/policy.py` by
`voc policy reference > docs/policy-reference.md`; edit the models' descriptions, not this file
(tests/test_policy_reference.py fails when the two differ). `voc policy check` validates a file
against the same models. `<name>` stands for a key you choose (a department id, a customer name…);
`[]` marks a list of entries. "required" means the key has no default.
"""

_SCALARS = {str: "text", int: "integer", float: "number", bool: "true/false", date: "date (YYYY-MM-DD)",
            time: "time (HH:MM)", Decimal: "exact decimal"}


def _models_in(annotation) -> list[type[BaseModel]]:
    """The models a field's type holds: itself, a list's entries, a mapping's values, an option."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def type_name(annotation) -> str:
    """A reader's name for a field's type: "list of one of: AA, A", "map text → number"."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        named = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(named) + (", optional" if type(None) in args else "")
    if origin is tuple:
        return "list of " + type_name(args[0])
    if origin is dict:
        return f"map {type_name(args[0])} → {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "text per language {en, zh}" if _is_leaf_value(annotation) else "section (below)"
    return _SCALARS.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _bounds(info: FieldInfo) -> str:
    signs = {Ge: ("≥", "ge"), Gt: ("&gt;", "gt"), Le: ("≤", "le"), Lt: ("&lt;", "lt")}
    out = []
    for meta in info.metadata:
        for kind, (sign, attr) in signs.items():
            if isinstance(meta, kind):
                out.append(f"{sign} {getattr(meta, attr)}")
        if isinstance(meta, MinLen) and meta.min_length:
            out.append(f"at least {meta.min_length}")
        if isinstance(meta, MaxLen):
            out.append(f"at most {meta.max_length} characters")
    return f" ({', '.join(out)})" if out else ""


def default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "see below"
    dumped = TypeAdapter(info.annotation).dump_python(value, mode="json")
    if dumped is None:
        return "unset"
    flow = yaml.safe_dump(dumped, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False).strip()
    return f"`{flow.removesuffix('...').strip()}`"


def meaning(info: FieldInfo) -> str:
    """What a key means: its description, else (a section) its model's docstring's first sentence."""
    if info.description:
        return info.description
    models = _models_in(info.annotation)
    return inspect.cleandoc(models[0].__doc__ or "").split("\n\n")[0].replace("\n", " ") if models else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(model: type[BaseModel], path: str, out: list[str], done: set[str]) -> None:
    if path in done:
        return
    done.add(path)
    out += ["", f"## `{path}`" if path else "## Top level", ""]
    if model.__doc__ and path:
        out += [inspect.cleandoc(model.__doc__).replace("\n", " "), ""]
    out += ["| Key | Type | Default | Meaning |", "|---|---|---|---|"]
    below: list[tuple[type[BaseModel], str]] = []
    for name, info in model.model_fields.items():
        key = f"{path}.{name}" if path else name
        out.append(f"| `{key}` | {_cell(type_name(info.annotation) + _bounds(info))} | {_cell(default_text(info))} "
                   f"| {_cell(meaning(info))} |")
        for sub in _models_in(info.annotation):
            origin = typing.get_origin(info.annotation)
            if origin is dict:
                below.append((sub, f"{key}.<name>"))
            elif origin is tuple or tuple in map(typing.get_origin, typing.get_args(info.annotation)):
                below.append((sub, f"{key}[]"))
            else:
                below.append((sub, key))
    for sub, sub_path in below:
        if not _is_leaf_value(sub):
            _section(sub, sub_path, out, done)


def _is_leaf_value(model: type[BaseModel]) -> bool:
    """A two-language label ({en, zh}) is a value, not a section of its own."""
    return set(model.model_fields) == {"en", "zh"}


def policy_reference() -> str:
    out: list[str] = [HEADER.rstrip()]
    _section(Policy, "", out, set())
    return "\n".join(out) + "\n"


def every_key(model: type[BaseModel] = Policy, path: str = "") -> list[tuple[str, FieldInfo]]:
    """Every key of the policy with its field info, sections first then their keys (for tests and checks)."""
    keys = []
    for name, info in model.model_fields.items():
        key = f"{path}.{name}" if path else name
        keys.append((key, info))
        for sub in _models_in(info.annotation):
            if not _is_leaf_value(sub):
                keys += every_key(sub, key)
    return keys
