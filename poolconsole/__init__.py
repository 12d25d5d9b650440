"""poolconsole: design, create and audit Amazon Cognito user pools."""

__version__ = "0.1.0"
