"""Errors that services raise for views to show to the user."""


class ApplicationError(Exception):
    """A failure the user can act on: its message is safe to show.

    ``field`` names the form field the error concerns, if any; ``extra``
    carries details for the caller (never a secret).
    """

    def __init__(
        self, message: str, *, field: str | None = None, extra: dict | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
