"""AWS fixtures: dummy base credentials and request hooks."""

from tests.aws_fixtures import aws_env, hooks  # noqa: F401
