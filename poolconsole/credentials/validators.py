"""Validators of AWS connections."""

import re

from django.core.validators import URLValidator
from django.utils.regex_helper import _lazy_re_compile


class EndpointURLValidator(URLValidator):
    """An http(s) URL whose host may also be a single name.

    Django's URLValidator wants a dotted domain (or localhost), but an
    emulator in Docker Compose is reached by its service's name:
    ``http://localstack:4566``, ``http://moto:5000``. The pattern is Django's
    own with the bare hostname added; everything else it checks stays.
    """

    host_re = (
        "("
        + URLValidator.hostname_re
        + URLValidator.domain_re
        + URLValidator.tld_re
        + "|"
        + URLValidator.hostname_re
        + ")"
    )
    regex = _lazy_re_compile(
        r"^(?:[a-z0-9.+-]*)://"  # scheme is validated separately
        r"(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"  # user:pass authentication
        r"(?:" + URLValidator.ipv4_re + "|" + URLValidator.ipv6_re + "|" + host_re + ")"
        r"(?::[0-9]{1,5})?"  # port
        r"(?:[/?#][^\s]*)?"  # resource path
        r"\Z",
        re.IGNORECASE,
    )
    schemes = ["http", "https"]
