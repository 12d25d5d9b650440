"""The pool design the benchmark posts: every parameter, ten schema rows.

It starts from the tests' full design (``tests/pools/design_data.py``) and
goes through poolconsole's own ``form_data_from_request``, so the field
names are the form's.
"""

import copy

from django.http import QueryDict

from poolconsole.pools.requests import form_data_from_request
from tests.pools.design_data import FULL_REQUEST

# Six more rows after the four of FULL_REQUEST: standard and custom ones.
EXTRA_SCHEMA = [
    {"Name": "name", "Mutable": True, "Required": True},
    {"Name": "phone_number", "Mutable": True, "Required": False},
    {"Name": "locale", "Mutable": True, "Required": False},
    {
        "Name": "tenant_id",
        "AttributeDataType": "String",
        "Mutable": False,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "36"},
    },
    {
        "Name": "signup_at",
        "AttributeDataType": "DateTime",
        "Mutable": True,
    },
    {"Name": "beta_opt_in", "AttributeDataType": "Boolean", "Mutable": True},
]
POOL_NAME = "Customers EU"
# Shown on the review page only, never on the design form.
REVIEW_MARKER = 'data-testid="request-json"'


def design_request(pool_name: str = POOL_NAME) -> dict:
    """Return the CreateUserPool request of the benchmark's design."""
    request = copy.deepcopy(FULL_REQUEST)
    request["PoolName"] = pool_name
    request["Schema"] = [*request["Schema"], *copy.deepcopy(EXTRA_SCHEMA)]
    return request


def design_data(*, connection_id: int, pool_name: str = POOL_NAME) -> QueryDict:
    """Return the design form's POST data asking for the review page."""
    data = form_data_from_request(design_request(pool_name))
    data["connection"] = str(connection_id)
    data["action"] = "review"
    return data


def design_body(*, connection_id: int, csrf_token: str, pool_name: str) -> str:
    """Return the urlencoded body a browser posts for the review page."""
    data = design_data(connection_id=connection_id, pool_name=pool_name)
    data["csrfmiddlewaretoken"] = csrf_token
    return data.urlencode()
