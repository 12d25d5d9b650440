"""Turn pasted or uploaded JSON into a create_user_pool request.

Two shapes are accepted: the `--cli-input-json` shape (the request itself) and
`describe-user-pool` output, either `{"UserPool": {...}}` or the bare
UserPool object. Keys this form does not support are reported as warnings,
never dropped silently; read-only fields of describe output are dropped.
"""

from __future__ import annotations

import copy
from typing import Any

from .validation import (
    ERROR,
    NEWER_KEYS,
    RESERVED_NAMES,
    STANDARD_ATTRIBUTES,
    SUPPORTED_KEYS,
    WARNING,
    Problem,
    _safe,
    lone_surrogate,
    surrogate_message,
)

# Fields describe-user-pool reports that are state, not design.
READ_ONLY_FIELDS = frozenset(
    {
        "Id",
        "Arn",
        "Status",
        "CreationDate",
        "LastModifiedDate",
        "EstimatedNumberOfUsers",
        "SmsConfigurationFailure",
        "EmailConfigurationFailure",
        "Domain",
        "CustomDomain",
        "ResponseMetadata",
    }
)
# Keys only describe output has; seeing one means the describe shape.
_DESCRIBE_MARKERS = frozenset({"Name", "SchemaAttributes", "Id", "Arn"})

# The settings Cognito gives a standard attribute left out of the request
# (moto `STANDARD_SCHEMA`, matching AWS's describe output).
_DEFAULT_STRING_CONSTRAINTS = {"MinLength": "0", "MaxLength": "2048"}
_DEFAULT_NUMBER_CONSTRAINTS = {"MinValue": "0"}


def request_from_json(data: Any) -> tuple[dict, list[Problem]]:
    """Return the request found in data and the notes about what was left out."""
    try:
        return _request_from_json(data)
    except Exception:  # noqa: BLE001 - importing must never crash the form
        return {}, [
            Problem("", "This JSON could not be imported; check its shape.", "error")
        ]


def _request_from_json(data: Any) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return {}, [
            Problem(
                "",
                "Paste a JSON object: a create-user-pool request or "
                "describe-user-pool output.",
                "error",
            )
        ]
    source = data
    if isinstance(data.get("UserPool"), dict):
        source = data["UserPool"]
        for key in data:
            if key not in ("UserPool", "ResponseMetadata"):
                problems.append(_not_imported(str(key), "it is not part of a pool"))
    describe = bool(_DESCRIBE_MARKERS & set(source)) and "PoolName" not in source
    renamed: dict[str, Any] = {}
    for key, value in source.items():
        if describe:
            if key in READ_ONLY_FIELDS:
                continue
            if key == "Name":
                key = "PoolName"
            elif key == "SchemaAttributes":
                key = "Schema"
                value = _schema_from_describe(value)
                if not value:
                    continue
        renamed[key] = value
    request = _keep_supported(renamed, SUPPORTED_KEYS, "", "", problems)
    request = _without_lone_surrogates(request, "", problems)
    return request, problems


def _join(path: str, key: Any) -> str:
    shown = _safe(key, 100)
    return f"{path}.{shown}" if path else shown


def lone_surrogates(data: Any, limit: int = 5) -> list[tuple[str, str]]:
    """Return (path, character) of the first lone surrogates anywhere in data.

    JSON can write half of a surrogate pair (``"\\ud800"``); it is no
    character, and a page holding it cannot be sent, so an import holding
    one is refused. Keys are searched too.
    """
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack and len(found) < limit:
        path, value = stack.pop()
        if isinstance(value, str):
            char = lone_surrogate(value)
            if char is not None:
                found.append((path or "(request)", char))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                char = lone_surrogate(key) if isinstance(key, str) else None
                if char is not None:
                    found.append((_join(path, key), char))
                else:
                    stack.append((_join(path, key), item))
        elif isinstance(value, list):
            stack.extend(
                (_join(path, index), item)
                for index, item in reversed(list(enumerate(value)))
            )
    return found[:limit]


def _without_lone_surrogates(value: Any, path: str, problems: list[Problem]) -> Any:
    """Return value without the text holding a lone surrogate, noting each.

    The import page refuses such JSON; this keeps any other caller from
    getting text that no page can show.
    """
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            item_path = _join(path, key)
            char = lone_surrogate(key) if isinstance(key, str) else None
            if char is None and isinstance(item, str):
                char = lone_surrogate(item)
            if char is not None:
                problems.append(_surrogate_problem(item_path, char))
                continue
            kept[key] = _without_lone_surrogates(item, item_path, problems)
        return kept
    if isinstance(value, list):
        kept_items = []
        for index, item in enumerate(value):
            item_path = _join(path, index)
            char = lone_surrogate(item) if isinstance(item, str) else None
            if char is not None:
                problems.append(_surrogate_problem(item_path, char))
                continue
            kept_items.append(_without_lone_surrogates(item, item_path, problems))
        return kept_items
    return value


def _surrogate_problem(path: str, char: str) -> Problem:
    return Problem(
        path, f"{path}: {surrogate_message(char)} It was not imported.", ERROR
    )


# Values describe-user-pool reports for newer parameters that were never
# set: Cognito's defaults, so leaving them out of the import loses nothing.
_NEWER_DEFAULTS = {
    "Policies.PasswordPolicy.TemporaryPasswordValidityDays": 7,
    "Policies.SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]},
    "EmailConfiguration.EmailSendingAccount": "COGNITO_DEFAULT",
    "DeletionProtection": "INACTIVE",
}


def _not_imported(path: str, why: str) -> Problem:
    return Problem(path, f"{_safe(path, 100)}: {why}; it was not imported.", WARNING)


def _keep_supported(
    value: dict,
    children: dict,
    path: str,
    spec_path: str,
    problems: list[Problem],
) -> dict:
    """Return value restricted to supported keys, noting every key left out."""
    kept: dict[str, Any] = {}
    for key, item in value.items():
        item_path = f"{path}.{_safe(key, 100)}" if path else _safe(key, 100)
        if key not in children:
            newer = NEWER_KEYS.get(spec_path, frozenset())
            if key not in newer:
                why = "this is not a CreateUserPool parameter"
            elif _NEWER_DEFAULTS.get(item_path, object()) == item:
                why = (
                    "this form does not support it yet, but it holds Cognito's "
                    "default, so nothing is lost"
                )
            else:
                why = "this form does not support it yet"
            problems.append(_not_imported(item_path, why))
            continue
        child = children[key]
        child_spec = f"{spec_path}.{key}" if spec_path else key
        if isinstance(child, dict) and isinstance(item, dict):
            item = _keep_supported(item, child, item_path, child_spec, problems)
            if not item:
                continue  # an empty structure means "defaults"
        elif isinstance(child, list) and isinstance(item, list):
            item = [
                _keep_supported(entry, child[0], f"{item_path}.{index}", "", problems)
                if isinstance(entry, dict)
                else entry
                for index, entry in enumerate(item)
            ]
        else:
            item = copy.deepcopy(item)
        kept[key] = item
    return kept


def _schema_from_describe(attributes: Any) -> Any:
    """Return describe output's SchemaAttributes as request Schema entries.

    Cognito lists every standard attribute; keep only those the design
    changed, and give custom names back without the prefix Cognito added.
    """
    if not isinstance(attributes, list):
        return attributes
    schema = []
    for attribute in attributes:
        if not isinstance(attribute, dict):
            schema.append(attribute)
            continue
        entry = {key: value for key, value in attribute.items() if value is not None}
        name = entry.get("Name")
        if isinstance(name, str):
            if name in RESERVED_NAMES:
                continue
            if name in STANDARD_ATTRIBUTES:
                if _is_default_standard(entry):
                    continue
            else:
                for prefix in ("dev:", "custom:"):
                    if name.startswith(prefix):
                        name = name[len(prefix) :]
                entry["Name"] = name
        for key in ("StringAttributeConstraints", "NumberAttributeConstraints"):
            if entry.get(key) == {}:
                del entry[key]
        schema.append(entry)
    return schema


def _is_default_standard(entry: dict) -> bool:
    name = entry["Name"]
    if entry.get("Mutable", True) is not True:
        return False
    if entry.get("Required", False) is not False:
        return False
    if entry.get("DeveloperOnlyAttribute", False) is not False:
        return False
    if STANDARD_ATTRIBUTES[name] == "String":
        default = _DEFAULT_STRING_CONSTRAINTS
        key = "StringAttributeConstraints"
    else:
        default = _DEFAULT_NUMBER_CONSTRAINTS
        key = "NumberAttributeConstraints"
    return entry.get(key, default) in (default, {})
