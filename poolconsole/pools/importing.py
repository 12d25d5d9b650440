"""Turn pasted or uploaded JSON into a create_user_pool request.

Two shapes are accepted: the `--cli-input-json` shape (the request itself) and
`describe-user-pool` output, either `{"UserPool": {...}}` or the bare
UserPool object. Keys this form does not support are reported as warnings,
never dropped silently; read-only fields of describe output are dropped.

The request returned says what the JSON says (exports read pools through it
too). Where the design form cannot show a value as it is (a boolean that is
not true or false, a number where the form holds text, a boolean left out
whose Cognito default is uncertain), a note says what the form shows
instead, at the field it concerns (``ImportNotes.at_fields``).
"""

from __future__ import annotations

import copy
from typing import Any

from poolconsole.provisioning.models import ATTEMPT_TAG

from .requests import (
    BOOLEAN_DEFAULTS,
    BOOLEAN_FIELDS,
    DEVICE_TRACKING_FIELD,
    FIELD_PATHS,
    INTEGER_FIELDS,
    LIST_FIELDS,
    MAX_SCHEMA_ROWS,
    MULTILINE_FIELDS,
    OWN_TAG_PREFIX,
    ROW_BOOLEAN_DEFAULTS,
    ROW_BOOLEAN_FIELDS,
    ROW_PATHS,
    SCHEMA_PREFIX,
    TAGS_FIELD,
    single_line,
    tag_in_form,
)
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
    schema_limit,
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


class ImportNotes(list):
    """The notes of an import (Problems), and where the design shows them.

    ``at_fields`` holds ``(HTML name of a design field, message)`` for each
    note that concerns one field or schema row field, so the page shows it
    beside that field as well as in the list of every note.
    """

    def __init__(self, problems=(), at_fields=()):
        super().__init__(problems)
        self.at_fields: list[tuple[str, str]] = list(at_fields)


def request_from_json(data: Any) -> tuple[dict, ImportNotes]:
    """Return the request found in data and the notes about what was left out."""
    try:
        request, problems, describe = _request_from_json(data)
        problems += _form_notes(request, describe=describe)
        at_fields = [
            (name, problem.message)
            for problem in problems
            if (name := _field_name(problem.path, request)) is not None
        ]
        return request, ImportNotes(problems, at_fields)
    except Exception:  # noqa: BLE001 - importing must never crash the form
        return {}, ImportNotes(
            [Problem("", "This JSON could not be imported; check its shape.", "error")]
        )


def _request_from_json(data: Any) -> tuple[dict, list[Problem], bool]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return (
            {},
            [
                Problem(
                    "",
                    "Paste a JSON object: a create-user-pool request or "
                    "describe-user-pool output.",
                    "error",
                )
            ],
            False,
        )
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
    _carry_temporary_password_validity(renamed, describe, problems)
    request = _keep_supported(renamed, SUPPORTED_KEYS, "", "", problems)
    request = _without_lone_surrogates(request, "", problems)
    return request, problems, describe


NEWER_VALIDITY = "Policies.PasswordPolicy.TemporaryPasswordValidityDays"
OLDER_VALIDITY = "AdminCreateUserConfig.UnusedAccountValidityDays"


def _carry_temporary_password_validity(
    request: dict, describe: bool, problems: list[Problem]
) -> None:
    """Carry the temporary password's validity into the form's field for it.

    The form sets it by its 2016 name, AdminCreateUserConfig's
    UnusedAccountValidityDays; Cognito reads either (and refuses both in one
    request). describe-user-pool reports the newer PasswordPolicy key, so
    without this a pool's 3 days would come back as the form's default 7.
    The newer key itself is then left out, with this one note.
    """
    policies = request.get("Policies")
    policy = policies.get("PasswordPolicy") if isinstance(policies, dict) else None
    if not isinstance(policy, dict) or "TemporaryPasswordValidityDays" not in policy:
        return
    days = policy["TemporaryPasswordValidityDays"]
    admin = request.get("AdminCreateUserConfig", {})
    if (
        not isinstance(admin, dict)
        or isinstance(days, bool)
        or not isinstance(days, int)
    ):
        return
    # Handled here, whatever the branch: the newer key is not also noted as
    # "not supported" by _keep_supported, which contradicted this note.
    request["Policies"] = {
        **policies,
        "PasswordPolicy": {
            key: value
            for key, value in policy.items()
            if key != "TemporaryPasswordValidityDays"
        },
    }
    older = admin.get("UnusedAccountValidityDays")
    if older == days:
        problems.append(
            _note(
                OLDER_VALIDITY,
                f"{days}, also given as {NEWER_VALIDITY}, the newer name of "
                "the same setting",
                why=False,
            )
        )
        return
    if older is not None and not describe:
        # Both in one request: Cognito would refuse it; the form keeps its own.
        problems.append(
            _note(
                OLDER_VALIDITY,
                f"kept as {_safe(older)}; the JSON also gives {NEWER_VALIDITY} "
                f"{days}, the newer name of the same setting",
                why=False,
            )
        )
        return
    request["AdminCreateUserConfig"] = {**admin, "UnusedAccountValidityDays": days}
    problems.append(
        _note(
            OLDER_VALIDITY,
            f"set to {days} from {NEWER_VALIDITY}, the newer name of the same "
            "setting (the form's temporary password validity)",
            why=False,
        )
    )


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
            if not item and child_spec != "DeviceConfiguration":
                # An empty structure means "defaults", except that an empty
                # DeviceConfiguration turns device tracking on.
                continue
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


# The form fields of request paths, to show a note beside its field.
_FIELD_OF_PATH = {path: field for field, path in FIELD_PATHS.items()} | {
    "DeviceConfiguration": DEVICE_TRACKING_FIELD
}
_ROW_FIELD_OF_KEY = {path: field for field, path in ROW_PATHS.items()} | {
    "NumberAttributeConstraints": "min_value",
    "StringAttributeConstraints": "min_length",
}
_PASSWORD_POLICY = "Policies.PasswordPolicy"


def _field_name(path: str, request: dict) -> str | None:
    """Return the HTML name of the design field a request path concerns."""
    if path in _FIELD_OF_PATH:
        return _FIELD_OF_PATH[path]
    parts = path.split(".")
    if len(parts) < 2 or parts[0] != "Schema" or not parts[1].isdigit():
        return None
    index = int(parts[1])
    schema = request.get("Schema")
    if index >= MAX_SCHEMA_ROWS or not isinstance(schema, list):
        return None
    if index >= len(schema):
        return None
    row = f"{SCHEMA_PREFIX}-{index}-"
    rest = ".".join(parts[2:])
    if rest in ("", "Name"):
        entry = schema[index]
        name = entry.get("Name") if isinstance(entry, dict) else None
        standard = isinstance(name, str) and name in STANDARD_ATTRIBUTES
        return row + ("standard_name" if standard else "name")
    field = _ROW_FIELD_OF_KEY.get(rest)
    return row + field if field else None


def _given(value: Any) -> str:
    """Return how a JSON value reads in a note: 'the text "true"'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'the text "{_safe(value)}"'
    if isinstance(value, int | float):
        return f"the number {_safe(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return _safe(type(value).__name__)


def _shown(value: Any) -> str:
    """Return a value as a one-line text box shows it (requests._text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return single_line(value if isinstance(value, str) else str(value))


def _form_notes(request: dict, *, describe: bool) -> list[Problem]:
    """Return a note for each value the design form cannot show as it is."""
    notes: list[Problem] = []
    structures = sorted({p.rsplit(".", 1)[0] for p in FIELD_PATHS.values() if "." in p})
    for path in structures:
        found, value = _lookup(request, path)
        if found and not isinstance(value, dict):
            notes.append(
                _note(
                    path,
                    f"the JSON gives {_given(value)}, not an object, so nothing "
                    "in it was imported",
                )
            )
    for field, path in FIELD_PATHS.items():
        found, value = _lookup(request, path)
        if field in BOOLEAN_FIELDS:
            parent_found, parent = _lookup(request, path.rsplit(".", 1)[0])
            default = BOOLEAN_DEFAULTS[field]
            if found:
                _boolean_note(notes, path, value, default)
            elif (
                path.startswith(_PASSWORD_POLICY + ".")
                and parent_found
                and isinstance(parent, dict)
                and not describe
            ):
                notes.append(
                    _note(
                        path,
                        "it is not in the JSON, so it was imported as on, "
                        "Cognito's default. Cognito may turn it off instead "
                        "when the rest of PasswordPolicy is given (uncertain); "
                        "check it",
                        why=False,
                    )
                )
        elif not found or field == TAGS_FIELD:  # tags: _tag_notes
            continue
        elif field in LIST_FIELDS:
            if not isinstance(value, list):
                notes.append(
                    _note(
                        path,
                        f"the JSON gives {_given(value)}, not a list; the form "
                        "takes it as a list of that one value",
                        why=False,
                    )
                )
        elif field in INTEGER_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int):
                notes.append(_text_note(path, value, "a whole number"))
        elif not isinstance(value, str):
            notes.append(_text_note(path, value, "text"))
        elif field in MULTILINE_FIELDS:
            if "\r" in value:
                notes.append(
                    _note(
                        path,
                        "the form keeps each line break as \\n (a browser "
                        "sends no other kind), so its \\r line breaks were "
                        "imported as \\n",
                        why=False,
                    )
                )
        else:
            _line_break_note(notes, path, value)
    notes += _schema_notes(request, describe=describe)
    notes += _tag_notes(request)
    return notes


def _tag_notes(request: dict) -> list[Problem]:
    """Note the tags of request the design form's tags field cannot hold.

    The form holds each tag as a ``key=value`` line. poolconsole's own tags
    are left out without a note: a new pool gets its own.
    """
    if "UserPoolTags" not in request:
        return []
    tags = request["UserPoolTags"]
    if not isinstance(tags, dict):
        return [
            _note(
                "UserPoolTags",
                f"the JSON gives {_given(tags)}, not an object of tags; it was "
                "not imported",
                why=False,
            )
        ]
    left_out = [
        key
        for key, value in tags.items()
        if key != ATTEMPT_TAG and not tag_in_form(key, value)
    ]
    if not left_out:
        return []
    shown = ", ".join(_safe(key, 40) for key in left_out[:10])
    more = f" and {len(left_out) - 10} more" if len(left_out) > 10 else ""
    return [
        _note(
            "UserPoolTags",
            f"not imported: {shown}{more}. The form holds each tag as one "
            "key=value line, so a key with =, a line break, spaces around a "
            f"key or value, or a value that is not text cannot be shown, and "
            f"keys starting with {OWN_TAG_PREFIX} are poolconsole's own; add "
            "such tags in AWS after the pool is created",
            why=False,
        )
    ]


def _line_break_note(notes: list[Problem], path: str, value: str) -> None:
    if single_line(value) != value:
        notes.append(
            _note(
                path,
                "this field holds one line, so each line break was replaced "
                "by a space. Check it",
                why=False,
            )
        )


def _schema_notes(request: dict, *, describe: bool) -> list[Problem]:
    notes: list[Problem] = []
    if "Schema" not in request:
        return notes
    schema = request["Schema"]
    if not isinstance(schema, list):
        notes.append(
            _note(
                "Schema",
                f"the JSON gives {_given(schema)}, not a list, so no attribute "
                "was imported",
            )
        )
        return notes
    if len(schema) > MAX_SCHEMA_ROWS:
        left_out = schema[MAX_SCHEMA_ROWS:]
        names = [
            _safe(entry.get("Name"), 30)
            for entry in left_out[:5]
            if isinstance(entry, dict) and "Name" in entry
        ]
        named = f" ({', '.join(names)}{', …' if len(left_out) > 5 else ''})"
        named = named if names else ""
        if len(left_out) == 1:
            which = f"Schema.{MAX_SCHEMA_ROWS}{named} was"
        else:
            which = (
                f"the last {len(left_out)}, Schema.{MAX_SCHEMA_ROWS} to "
                f"Schema.{len(schema) - 1}{named}, were"
            )
        notes.append(
            _note(
                "Schema",
                f"the JSON has {len(schema)} entries, but the form holds at most "
                f"{MAX_SCHEMA_ROWS} rows, so {which} not imported. Cognito allows "
                f"at most {schema_limit()} entries",
                why=False,
            )
        )
    for index, entry in enumerate(schema[:MAX_SCHEMA_ROWS]):
        path = f"Schema.{index}"
        if not isinstance(entry, dict):
            notes.append(
                _note(
                    path,
                    f"the JSON gives {_given(entry)}, not an attribute (an "
                    "object); the form shows an empty row for it",
                    why=False,
                )
            )
            continue
        for key in ("StringAttributeConstraints", "NumberAttributeConstraints"):
            if key in entry and not isinstance(entry[key], dict):
                notes.append(
                    _note(
                        f"{path}.{key}",
                        f"the JSON gives {_given(entry[key])}, not an object, "
                        "so nothing in it was imported",
                    )
                )
        if "Name" in entry:
            if isinstance(entry["Name"], str):
                _line_break_note(notes, f"{path}.Name", entry["Name"])
            else:
                notes.append(_text_note(f"{path}.Name", entry["Name"], "text"))
        for field, key in ROW_PATHS.items():
            found, value = _lookup(entry, key)
            if field in ROW_BOOLEAN_FIELDS:
                if found:
                    _boolean_note(
                        notes, f"{path}.{key}", value, ROW_BOOLEAN_DEFAULTS[field]
                    )
                elif field == "mutable" and not describe:
                    notes.append(
                        _note(
                            f"{path}.Mutable",
                            "it is not in the JSON, so it was imported as "
                            "mutable, Cognito's API default. A CloudFormation "
                            "stack has been seen to make such an attribute "
                            "immutable instead (uncertain, aws/aws-cdk#8624); "
                            "check it, as it cannot be changed after creation",
                            why=False,
                        )
                    )
            elif not found:
                continue
            elif isinstance(value, str):
                _line_break_note(notes, f"{path}.{key}", value)
            else:
                notes.append(_text_note(f"{path}.{key}", value, "text"))
    return notes


def _lookup(request: Any, path: str) -> tuple[bool, Any]:
    """Return whether path is in request, and its value."""
    node = request
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _boolean_note(notes: list[Problem], path: str, value: Any, default: bool) -> None:
    if isinstance(value, bool):
        return
    shown = "ticked" if default else "not ticked"
    notes.append(
        Problem(
            path,
            f"{path}: the JSON gives {_given(value)}, not true or false, so it "
            f"was not imported; the box is {shown}, Cognito's default. Check "
            "it.",
            ERROR,
        )
    )


def _text_note(path: str, value: Any, expected: str) -> Problem:
    return _note(
        path,
        f"the JSON gives {_given(value)}, not {expected}; the form shows it as "
        f'"{_safe(_shown(value))}". Check it',
        why=False,
    )


def _note(path: str, message: str, *, why: bool = True) -> Problem:
    """Return a warning about path; ``why`` adds that it was not imported."""
    if why:
        return _not_imported(path, message)
    return Problem(path, f"{_safe(path, 100)}: {message}.", WARNING)
